import { describe, expect, it } from 'vitest';
import { agentOn, busyAgent, call, harness, ofType, ok, takeOffer, volunteerOn } from './helpers';

describe('place in line', () => {
  it('counts only callers competing for the same people', () => {
    const { lobby, advance } = harness();
    busyAgent(lobby, 'a-ko', ['ko']);
    busyAgent(lobby, 'a-kvk', ['kvk']);
    expect(call(lobby, 'k1', 'kvk').value.position).toBe(1);
    advance(10);
    expect(call(lobby, 'c1', 'ko').value.position).toBe(1); // nobody could take both k1 and c1
    advance(10);
    expect(call(lobby, 'c2', 'ko').value.position).toBe(2);
    expect(call(lobby, 'k2', 'kvk').value.position).toBe(2);
    // An agent who can take both languages comes online (and is offered k1): the lines now compete.
    agentOn(lobby, 'a-both', ['ko', 'kvk']);
    expect(lobby.callerView('k1')).toEqual({ position: 1, estimatedWaitMs: 0 });
    expect(lobby.callerView('c1')?.position).toBe(2);
    expect(lobby.callerView('c2')?.position).toBe(3);
    expect(lobby.callerView('k2')?.position).toBe(4);
    expect(lobby.callerView('nobody')).toBeNull();
  });

  it('sends queue-position only to callers whose position or rounded estimate moved', () => {
    const { lobby, advance } = harness();
    busyAgent(lobby, 'a-ko', ['ko']);
    busyAgent(lobby, 'a-kvk', ['kvk']);
    call(lobby, 'c1', 'ko');
    advance(10);
    call(lobby, 'c2', 'ko');
    call(lobby, 'c3', 'ko');
    call(lobby, 'k1', 'kvk');
    const r = ok(lobby.cancelCaller('c1'));
    const moved = ofType(r.events, 'queue-position');
    expect(moved.map((e) => [e.callerId, e.position])).toEqual([
      ['c2', 1],
      ['c3', 2],
    ]);
    // Nothing moved: no events.
    expect(ofType(ok(lobby.chooseFallback('c3', 'wait')).events, 'queue-position')).toEqual([]);
  });

  it('a normal arrival never pushes anyone back; a head-priority one does', () => {
    const { lobby } = harness();
    busyAgent(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const r = call(lobby, 'c2', 'ko');
    expect(ofType(r.events, 'queue-position')).toEqual([]);
    const head = ok(lobby.enqueueCaller({ callerId: 'h1', language: 'ko', mode: 'video', priority: 'head' }));
    expect(head.value.position).toBe(1);
    expect(ofType(head.events, 'queue-position').map((e) => [e.callerId, e.position])).toEqual([
      ['c1', 2],
      ['c2', 3],
    ]);
  });
});

describe('wait estimate', () => {
  // Priors: talk 300 s with E[T²] = 2·300² (exponential-like), wrap-up 30 s (E[W²] = 30²).
  // Occupancy X = T + W: mean 330 s, E[X²] = 180 000 + 2·300·30 + 900 = 198 900 s²,
  // residual R = E[X²] / 2E[X] = 301.4 s. The k-th caller with N busy: (R + (k − 1)·330) / N.
  it('is (residual + (k − 1) × occupancy) / staff with the priors, rounded to 30 s', () => {
    const { lobby } = harness();
    for (const id of ['a1', 'a2', 'a3']) busyAgent(lobby, id, ['ko']);
    // 301.4 / 3 = 100.5 s → 90 s; 631.4 / 3 = 210.5 s → 210 s; 961.4 / 3 = 320.5 s → 330 s.
    expect(call(lobby, 'c1', 'ko').value.estimatedWaitMs).toBe(90_000);
    expect(call(lobby, 'c2', 'ko').value.estimatedWaitMs).toBe(210_000);
    expect(call(lobby, 'c3', 'ko').value.estimatedWaitMs).toBe(330_000);
  });

  it('is null when nobody eligible is online, and 0 while the caller is being offered', () => {
    const { lobby } = harness();
    expect(call(lobby, 'c1', 'ko').value.estimatedWaitMs).toBeNull();
    agentOn(lobby, 'a1', ['ko']);
    expect(lobby.callerView('c1')).toEqual({ position: 1, estimatedWaitMs: 0 });
  });

  it('uses the recorded handle times (exponentially weighted, prior worth one sample)', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c0', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    call(lobby, 'c1', 'ko');
    expect(lobby.callerView('c1')?.estimatedWaitMs).toBe(300_000); // R = 301.4 s
    advance(900_000);
    ok(lobby.endMatch(matchId));
    // Talk: mean (300 + 900) / 2 = 600 s, E[T²] = (180 000 + 810 000) / 2 = 495 000 s².
    // X: mean 630 s, E[X²] = 495 000 + 2·600·30 + 900 = 531 900 s² → R = 422.1 s → 420 s.
    expect(lobby.callerView('c1')?.estimatedWaitMs).toBe(420_000);
    advance(90_000);
    const r = ok(lobby.finishWrapUp('a1'));
    expect(ofType(r.events, 'offer')[0]?.callerId).toBe('c1');
    takeOffer(lobby, 'a1');
    // Wrap-up: mean (30 + 90) / 2 = 60 s, E[W²] = (900 + 8 100) / 2 = 4 500 s².
    // X: mean 660 s, E[X²] = 495 000 + 2·600·60 + 4 500 = 571 500 s² → R = 433.0 s → 420 s.
    call(lobby, 'c2', 'ko');
    expect(lobby.callerView('c2')?.estimatedWaitMs).toBe(420_000);
  });

  it('for a bridged language counts the volunteers as the bottleneck', () => {
    const { lobby } = harness();
    for (const id of ['a1', 'a2', 'a3', 'a4']) busyAgent(lobby, id, ['ko']);
    volunteerOn(lobby, 'v1', ['vi']);
    // The only vi volunteer is free but all agents are busy: class staff = min(4 agents, 1 volunteer).
    // c1: the free volunteer is there for them, so only the agents matter: 301.4 / 4 = 75.3 s → 90 s.
    expect(call(lobby, 'c1', 'vi').value.estimatedWaitMs).toBe(90_000);
    // c2 needs that volunteer after c1: own class (2 − 1 spare) → R / 1 = 301.4 s → 300 s,
    // more than the agents' (301.4 + 330) / 4 = 157.8 s.
    expect(call(lobby, 'c2', 'vi').value.estimatedWaitMs).toBe(300_000);
  });
});

describe('batched position updates', () => {
  it('with positionUpdateIntervalMs > 0 they are emitted by tick at most once per interval', () => {
    const { lobby, now, advance } = harness({ positionUpdateIntervalMs: 5_000 });
    busyAgent(lobby, 'a1', ['ko']);
    advance(0);
    call(lobby, 'c1', 'ko');
    call(lobby, 'c2', 'ko');
    call(lobby, 'c3', 'ko');
    advance(0);
    const r = ok(lobby.cancelCaller('c1'));
    expect(ofType(r.events, 'queue-position')).toEqual([]);
    expect(lobby.nextDeadline()).toBe(now() + 5_000);
    expect(advance(4_999)).toEqual([]);
    expect(ofType(advance(1), 'queue-position').map((e) => [e.callerId, e.position])).toEqual([
      ['c2', 1],
      ['c3', 2],
    ]);
    ok(lobby.cancelCaller('c2'));
    expect(ofType(lobby.flushPositions(), 'queue-position')).toEqual([
      { type: 'queue-position', callerId: 'c3', position: 1, estimatedWaitMs: 300_000 },
    ]);
  });
});
