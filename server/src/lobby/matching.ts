// Who gets whom: the selection half of matching. No state of its own; it reads the idle pools, the
// ready lines and which languages are bridgeable, and names the next pair. Making the offer (and every
// change that follows) is the Lobby's.
import type { AgentRoster } from './agents';
import { isIdleAgent } from './agents';
import type { BridgeCapacity } from './bridging';
import type { CallerClasses } from './classes';
import { serves } from './languages';
import type { AgentRec, CallerClass, CallerRec } from './records';
import type { MatchWork } from './transaction';

export interface Pair {
  caller: CallerRec;
  agent: AgentRec;
  bridged: boolean;
}

export class Matchmaker {
  constructor(
    private readonly agents: AgentRoster,
    private readonly classes: CallerClasses,
    private readonly bridge: BridgeCapacity,
  ) {}

  /**
   * Before the mutation no idle agent could take any ready caller, so every new possible pair involves
   * a new ready caller, a new idle agent, or a language that just became bridgeable (`work`). Among
   * those, the earliest caller (priority, arrival) that someone idle can take, with the longest-idle
   * agent who can (a direct agent before a bridge one). Offers only use capacity up, so a source that
   * yields nothing is dropped from `work` for the rest of the pass.
   */
  nextPair(work: MatchWork): Pair | null {
    let best: CallerRec | undefined;
    for (const cls of work.classes) {
      const head = cls.ready.min();
      if (head === undefined || this.agentFor(cls) === null) {
        work.classes.delete(cls);
      } else if (best === undefined || head.key < best.key) {
        best = head;
      }
    }
    for (const agent of work.agents) {
      const pick = isIdleAgent(agent) ? this.earliestFor(agent) : undefined;
      if (pick === undefined) work.agents.delete(agent);
      else if (best === undefined || pick.key < best.key) best = pick;
    }
    if (best === undefined) return null;
    const choice = this.agentFor(best.cls);
    if (choice === null) return null; // unreachable: best came from a source with an eligible agent
    return { caller: best, ...choice };
  }

  /** Longest-idle agent for a class: one with the language first; else, if bridgeable, any bridge speaker. */
  private agentFor(cls: CallerClass): { agent: AgentRec; bridged: boolean } | null {
    if (cls.language === null) {
      const agent = this.agents.anyPool.min();
      return agent === undefined ? null : { agent, bridged: false };
    }
    const direct = this.agents.bestDirect(cls.prefixes);
    if (direct !== undefined) return { agent: direct, bridged: false };
    if (cls.bridgeReady) {
      const agent = this.agents.bridgePool.min();
      if (agent !== undefined) return { agent, bridged: true };
    }
    return null;
  }

  /** Earliest ready caller this idle agent could take (directly, text, or bridged). */
  private earliestFor(agent: AgentRec): CallerRec | undefined {
    let best: CallerRec | undefined;
    const consider = (cls: CallerClass): void => {
      const head = cls.ready.min();
      if (head !== undefined && (best === undefined || head.key < best.key)) best = head;
    };
    for (const t of agent.tags) for (const cls of this.classes.servedBy(t)) consider(cls);
    consider(this.classes.text);
    if (agent.speaksBridge) {
      for (const cls of this.bridge.readyClasses) {
        const lang = cls.language;
        if (lang !== null && !agent.tags.some((t) => serves(t, lang))) consider(cls);
      }
    }
    return best;
  }
}
