import { describe, expect, it } from 'vitest';
import { agentOn, busyAgent, call, errorCode, harness, ofType, ok, onlyOffer, takeOffer } from './helpers';

describe('fallback', () => {
  it('is offered once after fallbackAfterMs of waiting, not before', () => {
    const { lobby, advance, now } = harness({ fallbackAfterMs: 180_000 });
    busyAgent(lobby, 'a1', ['ko']);
    const t0 = now();
    call(lobby, 'c1', 'ko');
    expect(lobby.nextDeadline()).toBe(t0 + 180_000);
    expect(ofType(advance(179_999), 'fallback-available')).toHaveLength(0);
    expect(ofType(advance(1), 'fallback-available')).toEqual([
      {
        type: 'fallback-available',
        callerId: 'c1',
        options: ['wait', 'text', 'callback'],
        reason: 'long-wait',
      },
    ]);
    expect(ofType(advance(600_000), 'fallback-available')).toHaveLength(0);
  });

  it('is offered at once when nobody can serve the language (no agent with it, no volunteer within hours)', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    const r = call(lobby, 'c1', 'mn');
    expect(ofType(r.events, 'fallback-available')).toEqual([
      {
        type: 'fallback-available',
        callerId: 'c1',
        options: ['wait', 'text', 'callback'],
        reason: 'no-capacity',
      },
    ]);
    expect(r.value.estimatedWaitMs).toBeNull();
    // A text caller has no 'text' option.
    const { lobby: empty } = harness();
    const t = call(empty, 'c2', 'ko', 'text');
    expect(ofType(t.events, 'fallback-available')[0]?.options).toEqual(['wait', 'callback']);
  });

  it('is offered when the last person able to serve a waiting caller leaves', () => {
    const { lobby } = harness();
    busyAgent(lobby, 'a-ko', ['ko']);
    const m = busyAgent(lobby, 'a-kvk', ['kvk']);
    const r = call(lobby, 'c1', 'kvk');
    expect(ofType(r.events, 'fallback-available')).toHaveLength(0);
    ok(lobby.endMatch(m));
    ok(lobby.finishWrapUp('a-kvk'));
    const offer = lobby.inspect().offers[0];
    const gone = ok(lobby.setAgentPresence('a-kvk', 'offline'));
    expect(offer?.callerId).toBe('c1');
    expect(ofType(gone.events, 'fallback-available')).toEqual([
      {
        type: 'fallback-available',
        callerId: 'c1',
        options: ['wait', 'text', 'callback'],
        reason: 'no-capacity',
      },
    ]);
  });

  it("'text' switches to text chat with any agent, keeping the place in line", () => {
    const { lobby, advance } = harness();
    const m = busyAgent(lobby, 'a1', ['ko']);
    call(lobby, 'c-ko', 'ko');
    advance(10);
    call(lobby, 'c-th', 'th');
    advance(10);
    call(lobby, 'c-ko2', 'ko');
    ok(lobby.chooseFallback('c-th', 'text'));
    expect(lobby.inspect().queue.map((q) => [q.callerId, q.mode])).toEqual([
      ['c-ko', 'video'],
      ['c-th', 'text'],
      ['c-ko2', 'video'],
    ]);
    expect(errorCode(lobby.chooseFallback('c-th', 'text'))).toBe('invalid-state');
    ok(lobby.endMatch(m));
    expect(onlyOffer(ok(lobby.finishWrapUp('a1')).events).callerId).toBe('c-ko');
    const next = takeOffer(lobby, 'a1').matchId;
    ok(lobby.endMatch(next));
    // A ko-only agent takes the Thai caller's text chat, before the later ko caller.
    expect(onlyOffer(ok(lobby.finishWrapUp('a1')).events)).toMatchObject({
      callerId: 'c-th',
      mode: 'text',
      language: 'th',
      needsInterpreter: false,
    });
  });

  it("'callback' keeps the place; the caller is matched in order and the events say so", () => {
    const { lobby, advance } = harness();
    const m = busyAgent(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    advance(10);
    call(lobby, 'c2', 'ko');
    ok(lobby.chooseFallback('c1', 'callback'));
    expect(lobby.snapshot().callersByLanguage.ko).toEqual({ waiting: 2, text: 0, callback: 1 });
    ok(lobby.endMatch(m));
    const freed = ok(lobby.finishWrapUp('a1'));
    const offer = onlyOffer(freed.events);
    expect(offer).toMatchObject({ callerId: 'c1', callback: true });
    const matched = ofType(ok(lobby.acceptOffer('a1', offer.offerId)).events, 'matched')[0];
    expect(matched).toMatchObject({ callerId: 'c1', callback: true });
  });

  it("'wait' changes nothing; choices need a caller in line without a pending offer", () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    expect(errorCode(lobby.chooseFallback('c1', 'callback'))).toBe('invalid-state'); // being offered
    expect(errorCode(lobby.chooseFallback('nobody', 'wait'))).toBe('not-found');
    expect(errorCode(lobby.chooseFallback('c1', 'later' as 'wait'))).toBe('invalid-argument');
    call(lobby, 'c2', 'ko');
    const before = lobby.inspect();
    expect(ok(lobby.chooseFallback('c2', 'wait')).events).toEqual([]);
    expect(lobby.inspect()).toEqual(before);
  });
});

describe('leaving the line', () => {
  it('cancel records how long the caller waited', () => {
    const { lobby, advance } = harness();
    call(lobby, 'c1', 'ko');
    advance(42_000);
    const r = ok(lobby.cancelCaller('c1'));
    expect(r.value.waitedMs).toBe(42_000);
    expect(r.events).toContainEqual({
      type: 'caller-left',
      callerId: 'c1',
      reason: 'cancelled',
      waitedMs: 42_000,
    });
    expect(errorCode(lobby.cancelCaller('c1'))).toBe('not-found');
  });

  it('a hang-up noticed by the driver is recorded as abandoned', () => {
    const { lobby, advance } = harness();
    call(lobby, 'c1', 'ko');
    advance(5_000);
    const r = ok(lobby.cancelCaller('c1', 'abandoned'));
    expect(ofType(r.events, 'caller-left')[0]).toMatchObject({ reason: 'abandoned', waitedMs: 5_000 });
  });

  it('a connected caller cannot cancel from the line', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    takeOffer(lobby, 'a1');
    expect(errorCode(lobby.cancelCaller('c1'))).toBe('invalid-state');
  });
});
