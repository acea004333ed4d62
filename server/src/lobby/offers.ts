// The offer book: pending offers, active matches (by id and by caller), how recently closed offers
// ended (so a late answer gets a precise error), and the id sequences. Records only: presence, idle
// order, bridge demand and events are the Lobby's to change around these calls.
import type { AgentRec, CallerRec, MatchRec, OfferRec } from './records';
import { ClosedLog } from './results';

export type OfferEnd = 'accepted' | 'declined' | 'expired' | 'withdrawn';

export class OfferBook {
  private readonly offerById = new Map<string, OfferRec>();
  private readonly matchById = new Map<string, MatchRec>();
  private readonly matchByCaller = new Map<string, MatchRec>();
  private readonly closed = new ClosedLog<OfferEnd>();
  private offerSeq = 0;
  private matchSeq = 0;

  get offers(): ReadonlyMap<string, OfferRec> {
    return this.offerById;
  }

  get matches(): ReadonlyMap<string, MatchRec> {
    return this.matchById;
  }

  isInCall(callerId: string): boolean {
    return this.matchByCaller.has(callerId);
  }

  matchOfCaller(callerId: string): MatchRec | undefined {
    return this.matchByCaller.get(callerId);
  }

  /** Snapshot: the id sequences and the memory of closed offers (the records are read through the maps). */
  exportState(): {
    offerSeq: number;
    matchSeq: number;
    closed: Array<{ id: string; ownerId: string; reason: OfferEnd }>;
  } {
    return { offerSeq: this.offerSeq, matchSeq: this.matchSeq, closed: this.closed.entries() };
  }

  /** Restore, on a fresh book: records already linked to callers and agents, in their map order. */
  restoreState(
    state: {
      offerSeq: number;
      matchSeq: number;
      closed: ReadonlyArray<{ id: string; ownerId: string; reason: OfferEnd }>;
    },
    offers: readonly OfferRec[],
    matches: readonly MatchRec[],
  ): void {
    for (const o of offers) this.offerById.set(o.id, o);
    for (const m of matches) {
      this.matchById.set(m.id, m);
      this.matchByCaller.set(m.caller.id, m);
    }
    this.closed.load(state.closed);
    this.offerSeq = state.offerSeq;
    this.matchSeq = state.matchSeq;
  }

  /** Records a new offer, linked to its caller (the agent side is the Lobby's, through the roster). */
  open(caller: CallerRec, agent: AgentRec, bridged: boolean, now: number, timeoutMs: number): OfferRec {
    const offer: OfferRec = {
      id: `offer-${++this.offerSeq}`,
      agent,
      caller,
      needsInterpreter: bridged,
      createdAt: now,
      expiresAt: now + timeoutMs,
      active: true,
    };
    caller.offer = offer;
    this.offerById.set(offer.id, offer);
    return offer;
  }

  /** Ends an offer (accepted or not) and unlinks it from its caller; remembers how it ended. */
  close(offer: OfferRec, reason: OfferEnd): void {
    offer.active = false;
    this.offerById.delete(offer.id);
    this.closed.set(offer.id, offer.agent.id, reason);
    offer.caller.offer = null;
  }

  /** How the agent's offer ended, if it did recently. */
  closedReason(offerId: string, agentId: string): OfferEnd | undefined {
    return this.closed.reasonFor(offerId, agentId);
  }

  /** Records the call an accepted offer starts. */
  openMatch(offer: OfferRec, now: number): MatchRec {
    const { caller, agent } = offer;
    const match: MatchRec = {
      id: `match-${++this.matchSeq}`,
      seq: this.matchSeq,
      caller,
      agent,
      startedAt: now,
      needsInterpreter: offer.needsInterpreter,
      interpreterLanguage: caller.language,
      interpreter: null,
      invitations: new Set(),
      awaiting: offer.needsInterpreter,
      excluded: new Set(),
      active: true,
    };
    this.matchById.set(match.id, match);
    this.matchByCaller.set(caller.id, match);
    return match;
  }

  closeMatch(match: MatchRec): void {
    match.active = false;
    this.matchById.delete(match.id);
    this.matchByCaller.delete(match.caller.id);
  }
}
