// Baseline for bench/lobby.ts: the same matching decision as server/src/lobby, written as the obvious
// full scan. O(agents) when a caller arrives, O(waiting callers) when an agent frees up. Only the
// decision is modelled (no timers, positions or events), which favours the baseline; free volunteers
// are counted per tag incrementally so that its cost is the scan itself.
import { languagePrefixes, serves } from '../server/src/lobby/languages';

export interface NaiveDecision {
  agentId: string;
  callerId: string;
  bridged: boolean;
}

interface NaiveAgent {
  id: string;
  tags: string[];
  speaksBridge: boolean;
  idle: boolean;
  idleSeq: number;
}

interface NaiveCaller {
  id: string;
  language: string;
  mode: 'video' | 'text';
  key: number;
  offered: boolean;
}

interface NaiveVolunteer {
  tags: string[];
  busy: boolean;
}

export class NaiveLobby {
  private readonly agents: NaiveAgent[] = [];
  private readonly byId = new Map<string, NaiveAgent>();
  private readonly volunteers: NaiveVolunteer[] = [];
  private readonly callers: NaiveCaller[] = [];
  /** Bridged offers not yet answered, per language: volunteers already counted on. */
  private readonly pending = new Map<string, number>();
  private readonly interpreterOf = new Map<string, NaiveVolunteer>();
  /** Free volunteers per declared tag, kept up to date so the baseline's cost is its scan of callers. */
  private readonly freeByTag = new Map<string, number>();
  private idleCounter = 0;
  private seq = 0;

  constructor(private readonly bridge = 'ko') {}

  addAgent(id: string, tags: string[]): void {
    const agent = {
      id,
      tags,
      speaksBridge: tags.some((t) => t.split('-')[0] === this.bridge),
      idle: false,
      idleSeq: 0,
    };
    this.agents.push(agent);
    this.byId.set(id, agent);
  }

  addVolunteer(tags: string[]): void {
    this.volunteers.push({ tags, busy: false });
    this.countFree(tags, 1);
  }

  /** A caller arrives: offer them to the longest-idle eligible agent, if any. */
  enqueue(id: string, language: string, mode: 'video' | 'text'): NaiveDecision | null {
    const caller: NaiveCaller = { id, language, mode, key: ++this.seq, offered: false };
    this.callers.push(caller);
    const direct = this.longestIdle((a) => mode === 'text' || a.tags.some((t) => serves(t, language)));
    if (direct !== undefined) return this.offer(caller, direct, false);
    if (mode === 'video' && this.bridgeReady(language)) {
      const bridgeAgent = this.longestIdle((a) => a.speaksBridge);
      if (bridgeAgent !== undefined) return this.offer(caller, bridgeAgent, true);
    }
    return null;
  }

  /** An agent becomes free: offer them the earliest waiting caller they can take. */
  agentAvailable(agentId: string): NaiveDecision | null {
    const agent = this.byId.get(agentId);
    if (agent === undefined) throw new Error(`unknown agent ${agentId}`);
    agent.idle = true;
    agent.idleSeq = ++this.idleCounter;
    const ready = new Map<string, boolean>();
    for (const c of this.callers) {
      if (c.offered) continue;
      if (c.mode === 'text' || agent.tags.some((t) => serves(t, c.language)))
        return this.offer(c, agent, false);
      if (!agent.speaksBridge) continue;
      let ok = ready.get(c.language);
      if (ok === undefined) {
        ok = this.bridgeReady(c.language);
        ready.set(c.language, ok);
      }
      if (ok) return this.offer(c, agent, true);
    }
    return null;
  }

  /** The agent took the call; a bridged call takes a free volunteer at once. */
  accept(d: NaiveDecision): void {
    const i = this.callers.findIndex((c) => c.id === d.callerId);
    const caller = this.callers[i];
    if (caller === undefined) throw new Error(`unknown caller ${d.callerId}`);
    this.callers.splice(i, 1);
    if (d.bridged) {
      this.pending.set(caller.language, (this.pending.get(caller.language) ?? 0) - 1);
      const v = this.volunteers.find((x) => !x.busy && x.tags.some((t) => serves(t, caller.language)));
      if (v !== undefined) {
        v.busy = true;
        this.countFree(v.tags, -1);
        this.interpreterOf.set(d.agentId, v);
      }
    }
  }

  endCall(agentId: string): void {
    const v = this.interpreterOf.get(agentId);
    if (v !== undefined) {
      v.busy = false;
      this.countFree(v.tags, 1);
    }
    this.interpreterOf.delete(agentId);
  }

  get waiting(): number {
    return this.callers.length;
  }

  private longestIdle(eligible: (a: NaiveAgent) => boolean): NaiveAgent | undefined {
    let best: NaiveAgent | undefined;
    for (const a of this.agents)
      if (a.idle && eligible(a) && (best === undefined || a.idleSeq < best.idleSeq)) best = a;
    return best;
  }

  private bridgeReady(language: string): boolean {
    let free = 0;
    for (const p of languagePrefixes(language)) free += this.freeByTag.get(p) ?? 0;
    return free > (this.pending.get(language) ?? 0);
  }

  private countFree(tags: string[], delta: number): void {
    for (const t of tags) this.freeByTag.set(t, (this.freeByTag.get(t) ?? 0) + delta);
  }

  private offer(caller: NaiveCaller, agent: NaiveAgent, bridged: boolean): NaiveDecision {
    caller.offered = true;
    agent.idle = false;
    if (bridged) this.pending.set(caller.language, (this.pending.get(caller.language) ?? 0) + 1);
    return { agentId: agent.id, callerId: caller.id, bridged };
  }
}
