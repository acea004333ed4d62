import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../server/src/lobby';
import { agentOn, call, errorCode, harness, ofType, ok, onlyOffer } from './helpers';

const OFFER_MS = DEFAULT_CONFIG.offerTimeoutMs;

describe('offers', () => {
  it('expire exactly at their deadline: accept works until then, tick at the deadline expires', () => {
    const { lobby, now, setTime } = harness();
    agentOn(lobby, 'a1', ['ko']);
    const t0 = now();
    const offer = onlyOffer(call(lobby, 'c1', 'ko').events);
    expect(offer.expiresAt).toBe(t0 + OFFER_MS);
    expect(lobby.nextDeadline()).toBe(offer.expiresAt);
    setTime(offer.expiresAt - 1);
    expect(lobby.tick()).toEqual([]);
    expect(lobby.inspect().offers).toHaveLength(1);
    setTime(offer.expiresAt);
    // Past the deadline an accept fails even before the driver's tick...
    expect(errorCode(lobby.acceptOffer('a1', offer.offerId))).toBe('expired');
    const events = lobby.tick();
    expect(ofType(events, 'offer-expired')).toEqual([
      { type: 'offer-expired', offerId: offer.offerId, agentId: 'a1', callerId: 'c1' },
    ]);
    // ...and after it too.
    expect(errorCode(lobby.acceptOffer('a1', offer.offerId))).toBe('expired');
  });

  it('can be accepted one millisecond before the deadline', () => {
    const { lobby, setTime } = harness();
    agentOn(lobby, 'a1', ['ko']);
    const offer = onlyOffer(call(lobby, 'c1', 'ko').events);
    setTime(offer.expiresAt - 1);
    expect(ok(lobby.acceptOffer('a1', offer.offerId)).value.callerId).toBe('c1');
  });

  it('a timed-out offer goes to the next agent', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    advance(1);
    agentOn(lobby, 'a2', ['ko']);
    expect(onlyOffer(call(lobby, 'c1', 'ko').events).agentId).toBe('a1');
    const events = advance(OFFER_MS);
    expect(onlyOffer(events)).toMatchObject({ agentId: 'a2', callerId: 'c1', waitedMs: OFFER_MS });
  });

  it('after maxMissedOffers misses in a row the agent is set away and told why', () => {
    const { lobby, advance } = harness({ maxMissedOffers: 3 });
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const first = advance(OFFER_MS);
    expect(ofType(first, 'agent-away')).toHaveLength(0);
    expect(onlyOffer(first).agentId).toBe('a1'); // the only agent is offered again
    advance(OFFER_MS);
    const third = advance(OFFER_MS);
    expect(ofType(third, 'agent-away')).toEqual([
      { type: 'agent-away', agentId: 'a1', reason: 'missed-offers' },
    ]);
    expect(ofType(third, 'offer')).toHaveLength(0);
    expect(lobby.inspect().agents[0]?.presence).toBe('away');
    expect(lobby.inspect().queue[0]).toMatchObject({ callerId: 'c1', offerId: null });
  });

  it('an explicit decline is not a miss, resets the streak, and the caller goes to the next agent', () => {
    const { lobby, advance } = harness({ maxMissedOffers: 2 });
    agentOn(lobby, 'a1', ['ko']);
    advance(1);
    agentOn(lobby, 'a2', ['ko']);
    const o1 = onlyOffer(call(lobby, 'c1', 'ko').events);
    const o2 = onlyOffer(advance(OFFER_MS)); // a1 missed once; now a2
    expect(o2.agentId).toBe('a2');
    const o3 = onlyOffer(advance(OFFER_MS)); // a2 missed once; back to a1
    expect(o3.agentId).toBe('a1');
    const declined = ok(lobby.declineOffer('a1', o3.offerId));
    expect(onlyOffer(declined.events).agentId).toBe('a2');
    expect(lobby.inspect().agents.find((a) => a.agentId === 'a1')?.missedOffers).toBe(0);
    expect(o1.offerId).not.toBe(o3.offerId);
    expect(errorCode(lobby.declineOffer('a1', o3.offerId))).toBe('invalid-state');
  });

  it('with a single agent, a declined caller is offered to them again (nobody else can take it)', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    const o1 = onlyOffer(call(lobby, 'c1', 'ko').events);
    const again = onlyOffer(ok(lobby.declineOffer('a1', o1.offerId)).events);
    expect(again).toMatchObject({ agentId: 'a1', callerId: 'c1' });
  });

  it('an agent going away or offline during an offer withdraws it and re-offers the caller', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    advance(1);
    agentOn(lobby, 'a2', ['ko']);
    const offer = onlyOffer(call(lobby, 'c1', 'ko').events);
    const r = ok(lobby.setAgentPresence('a1', 'offline'));
    expect(ofType(r.events, 'offer-withdrawn')).toEqual([
      { type: 'offer-withdrawn', offerId: offer.offerId, agentId: 'a1', reason: 'agent-left' },
    ]);
    expect(onlyOffer(r.events).agentId).toBe('a2');
    expect(lobby.inspect().agents.find((a) => a.agentId === 'a1')?.presence).toBe('offline');
    expect(errorCode(lobby.acceptOffer('a1', offer.offerId))).toBe('invalid-state');
  });

  it('a caller cancelling during an offer withdraws it and the agent keeps their place', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    advance(1);
    agentOn(lobby, 'a2', ['ko']);
    const offer = onlyOffer(call(lobby, 'c1', 'ko').events);
    const r = ok(lobby.cancelCaller('c1'));
    expect(ofType(r.events, 'offer-withdrawn')[0]).toMatchObject({
      offerId: offer.offerId,
      reason: 'caller-left',
    });
    expect(onlyOffer(call(lobby, 'c2', 'ko').events).agentId).toBe('a1');
  });

  it('rejects offers of other agents and unknown ids', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    agentOn(lobby, 'a2', ['ko']);
    const offer = onlyOffer(call(lobby, 'c1', 'ko').events);
    const other = offer.agentId === 'a1' ? 'a2' : 'a1';
    expect(errorCode(lobby.acceptOffer(other, offer.offerId))).toBe('not-found');
    expect(errorCode(lobby.acceptOffer('nobody', offer.offerId))).toBe('not-found');
    expect(errorCode(lobby.acceptOffer(offer.agentId, 'offer-999'))).toBe('not-found');
  });
});
