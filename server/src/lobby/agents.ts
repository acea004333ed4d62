// Agents: records, idle pools and online counts, kept in step by one `change` entry point.
//
// An idle agent (presence 'available', no offer) sits in one pool per language tag, in the bridge pool
// if they speak the bridge language, and in the "any" pool (text chat), each ordered by idleSeq so the
// longest idle is the minimum. Online counts are kept per language set ("sig") for estimates and the
// competition graph.
import { OrderedIndex } from './ordered';
import { primaryLanguage } from './languages';
import type { AgentRec, AgentSig } from './records';
import type { SnapshotAgent } from './snapshot';
import type { AgentPresence, LanguageTag } from './types';

const ONLINE: ReadonlySet<AgentPresence> = new Set<AgentPresence>([
  'available',
  'offered',
  'in-call',
  'wrap-up',
]);

/** Taking calls or about to: counted as staff for estimates and capacity. 'away' is a break. */
export const isOnlineAgent = (a: AgentRec): boolean => ONLINE.has(a.presence);
export const isIdleAgent = (a: AgentRec): boolean => a.presence === 'available' && a.offer === null;

export interface AgentChange {
  becameIdle: boolean;
  /** The online counts changed (someone came, left, or changed languages while online). */
  staffChanged: boolean;
}

export class AgentRoster {
  readonly byId = new Map<string, AgentRec>();
  readonly sigs: AgentSig[] = [];
  readonly bridgePool = new OrderedIndex<AgentRec>();
  readonly anyPool = new OrderedIndex<AgentRec>();
  readonly presenceCounts: Record<AgentPresence, number> = {
    offline: 0,
    available: 0,
    offered: 0,
    'in-call': 0,
    'wrap-up': 0,
    away: 0,
  };
  onlineTotal = 0;
  bridgeOnline = 0;
  /** Bumped when a sig's online count goes to or from zero: the competition graph must be rebuilt. */
  structureVersion = 0;
  private readonly pools = new Map<LanguageTag, OrderedIndex<AgentRec>>();
  private readonly sigByKey = new Map<string, AgentSig>();
  private idleCounter = 0;

  constructor(private readonly bridgePrimary: string) {}

  /** Creates an offline agent. */
  create(id: string, tags: LanguageTag[], shift: string | null): AgentRec {
    const speaksBridge = this.speaksBridge(tags);
    const agent: AgentRec = {
      id,
      tags,
      shift,
      presence: 'offline',
      idleSeq: 0,
      missedInRow: 0,
      awayReason: null,
      offer: null,
      match: null,
      wrapStartedAt: 0,
      speaksBridge,
      sig: this.sigFor(tags, speaksBridge),
    };
    this.byId.set(id, agent);
    this.presenceCounts.offline++;
    return agent;
  }

  /**
   * Applies `mutate` to an agent and updates pools and counts around it.
   * `keepIdleOrder`: an agent returning to idle through no fault of their own (the caller hung up
   * during the offer) keeps their place instead of going to the back.
   */
  change(agent: AgentRec, mutate: () => void, keepIdleOrder = false): AgentChange {
    const wasIdle = isIdleAgent(agent);
    const wasOnline = isOnlineAgent(agent);
    const before = agent.presence;
    const sigBefore = agent.sig;
    if (wasIdle) this.leavePools(agent);
    if (wasOnline) this.countOnline(agent, -1);
    mutate();
    agent.speaksBridge = this.speaksBridge(agent.tags);
    agent.sig = this.sigFor(agent.tags, agent.speaksBridge);
    this.presenceCounts[before]--;
    this.presenceCounts[agent.presence]++;
    const nowIdle = isIdleAgent(agent);
    const nowOnline = isOnlineAgent(agent);
    if (nowOnline) this.countOnline(agent, 1);
    if (nowIdle) {
      if (!wasIdle && !(keepIdleOrder && agent.idleSeq > 0)) agent.idleSeq = ++this.idleCounter;
      this.joinPools(agent);
    }
    return {
      becameIdle: nowIdle && !wasIdle,
      staffChanged: wasOnline !== nowOnline || (nowOnline && sigBefore !== agent.sig),
    };
  }

  exportState(): { idleCounter: number } {
    return { idleCounter: this.idleCounter };
  }

  /**
   * Restore, on a fresh roster: each agent is created and brought to its state through `change`, so
   * pools, counts and language sets are rebuilt by the same code that keeps them. Links to offers and
   * matches are the caller's to set (they do not move an agent in or out of the pools).
   */
  restoreState(agents: readonly SnapshotAgent[], idleCounter: number): void {
    for (const s of agents) {
      const agent = this.create(s.id, [...s.languages], s.shift);
      // keepIdleOrder: an idle agent keeps the idleSeq it had (validated > 0 and unique).
      this.change(
        agent,
        () => {
          agent.presence = s.presence;
          agent.idleSeq = s.idleSeq;
          agent.missedInRow = s.missedInRow;
          agent.awayReason = s.awayReason;
          agent.wrapStartedAt = s.wrapStartedAt;
        },
        true,
      );
    }
    this.idleCounter = idleCounter;
  }

  /** Longest-idle agent among those declaring one of `prefixes` (a caller language's servers). */
  bestDirect(prefixes: readonly LanguageTag[]): AgentRec | undefined {
    let best: AgentRec | undefined;
    for (const p of prefixes) {
      const cand = this.pools.get(p)?.min();
      if (cand !== undefined && (best === undefined || cand.idleSeq < best.idleSeq)) best = cand;
    }
    return best;
  }

  sigList(): readonly AgentSig[] {
    return this.sigs;
  }

  private speaksBridge(tags: readonly LanguageTag[]): boolean {
    return tags.some((t) => primaryLanguage(t) === this.bridgePrimary);
  }

  private sigFor(tags: LanguageTag[], speaksBridge: boolean): AgentSig {
    const key = tags.join('|');
    let sig = this.sigByKey.get(key);
    if (sig === undefined) {
      sig = { key, index: this.sigs.length, tags: [...tags], speaksBridge, online: 0 };
      this.sigByKey.set(key, sig);
      this.sigs.push(sig);
    }
    return sig;
  }

  private countOnline(agent: AgentRec, delta: 1 | -1): void {
    const sig = agent.sig;
    const was = sig.online;
    sig.online += delta;
    if ((was === 0) !== (sig.online === 0)) this.structureVersion++;
    this.onlineTotal += delta;
    if (agent.speaksBridge) this.bridgeOnline += delta;
  }

  private joinPools(agent: AgentRec): void {
    for (const t of agent.tags) {
      let pool = this.pools.get(t);
      if (pool === undefined) {
        pool = new OrderedIndex<AgentRec>();
        this.pools.set(t, pool);
      }
      pool.insert(agent.idleSeq, agent);
    }
    if (agent.speaksBridge) this.bridgePool.insert(agent.idleSeq, agent);
    this.anyPool.insert(agent.idleSeq, agent);
  }

  private leavePools(agent: AgentRec): void {
    for (const t of agent.tags) this.pools.get(t)?.delete(agent.idleSeq);
    if (agent.speaksBridge) this.bridgePool.delete(agent.idleSeq);
    this.anyPool.delete(agent.idleSeq);
  }
}
