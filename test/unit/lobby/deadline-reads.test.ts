// Asking the lobby for its next deadline is a read: it must not change what fires later, or in
// which order. A standby that never asks and a leader that asks after every command must agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lobby, LobbyEvent } from '../../../server/src/lobby';
import { agentOn, call, harness, ok, onlyOffer } from './helpers';

const OFFER_MS = 4_000;
const FALLBACK_MS = 20_000;

/**
 * A caller goes into a call and comes back to the line (their agent vanished) while their first
 * long-wait deadline is still in the heap; another caller's offer expires at the same instant.
 * `asks` is when the test asks nextDeadline() (as a leader setting its timer would).
 */
function run(asks: (step: number) => boolean): { events: LobbyEvent[]; state: unknown } {
  const h = harness({ offerTimeoutMs: OFFER_MS, fallbackAfterMs: FALLBACK_MS, maxMissedOffers: 5 });
  const { lobby } = h;
  const events: LobbyEvent[] = [];
  let step = 0;
  const after = (e: LobbyEvent[]) => {
    events.push(...e);
    if (asks(step++)) lobby.nextDeadline();
  };
  after(call(lobby, 'c1', 'ko').events);
  after(agentOn(lobby, 'a1', ['ko']));
  const first = onlyOffer(events);
  h.setTime(h.now() + 1000);
  const accepted = ok(lobby.acceptOffer('a1', first.offerId));
  after(accepted.events);
  h.setTime(h.now() + (FALLBACK_MS - OFFER_MS - 1000));
  after(call(lobby, 'c2', 'ko').events);
  after(agentOn(lobby, 'a2', ['ko']));
  h.setTime(h.now() + 1000);
  after(ok(lobby.requeueCaller(accepted.value.matchId)).events);
  // Past both deadlines: c2's offer expiry and c1's long wait, both due at FALLBACK_MS.
  events.push(...h.advance(OFFER_MS));
  return { events, state: (lobby as Lobby).snapshotState() };
}

describe('the next deadline is a read', () => {
  it('fires the same deadlines in the same order whether or not it was asked', () => {
    const never = run(() => false);
    const always = run(() => true);
    expect(always.events).toEqual(never.events);
    expect(always.state).toEqual(never.state);
    // The long wait was told once, not once per deadline the caller ever had.
    expect(always.events.filter((e) => e.type === 'fallback-available')).toHaveLength(1);
  });

  it('holds whichever steps it is asked after', () => {
    const never = run(() => false);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (pattern) => {
        const asked = run((step) => pattern[step] ?? false);
        expect(asked.events).toEqual(never.events);
        expect(asked.state).toEqual(never.state);
      }),
    );
  });
});
