import { describe, expect, it } from 'vitest';
import { Lobby } from '../../../server/src/lobby';
import type { Lobby as LobbyType } from '../../../server/src/lobby';
import {
  agentOn,
  busyAgent,
  call,
  errorCode,
  harness,
  MONDAY_10_KST,
  ofType,
  ok,
  onlyOffer,
  takeOffer,
  volunteerOn,
} from './helpers';

describe('call lifecycle', () => {
  it('endMatch puts the agent in wrap-up; finishWrapUp makes them available for the next caller', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    call(lobby, 'c2', 'ko');
    expect(ok(lobby.endMatch(matchId)).events.filter((e) => e.type === 'offer')).toEqual([]);
    expect(lobby.inspect().agents[0]?.presence).toBe('wrap-up');
    expect(errorCode(lobby.endMatch(matchId))).toBe('not-found');
    expect(onlyOffer(ok(lobby.finishWrapUp('a1')).events).callerId).toBe('c2');
    expect(errorCode(lobby.finishWrapUp('a1'))).toBe('invalid-state');
  });

  it('abandonMatch (the caller never joined): the agent is available at once and takes the next caller', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    advance(30_000);
    call(lobby, 'c2', 'ko');
    expect(onlyOffer(ok(lobby.abandonMatch(matchId)).events).callerId).toBe('c2');
    expect(lobby.inspect().agents[0]?.presence).toBe('offered');
    // Nothing was said: no wrap-up is owed, and the call's wait for the caller is no talk time.
    expect(errorCode(lobby.finishWrapUp('a1'))).toBe('invalid-state');
    expect(lobby.snapshotState().handleTimes.talk.count).toBe(0);
    expect(errorCode(lobby.abandonMatch(matchId))).toBe('not-found');
  });

  it('requeueCaller: the caller goes back at the head of the line and the agent offline', () => {
    const { lobby, advance } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    advance(60_000);
    call(lobby, 'c2', 'ko');
    ok(lobby.requeueCaller(matchId));
    expect(lobby.inspect().queue.map((q) => [q.callerId, q.priority])).toEqual([
      ['c1', 'head'],
      ['c2', 'normal'],
    ]);
    expect(lobby.inspect().agents[0]?.presence).toBe('offline');
    expect(errorCode(lobby.requeueCaller(matchId))).toBe('not-found');
    const freed = agentOn(lobby, 'a2', ['ko']);
    expect(onlyOffer(freed)).toMatchObject({ callerId: 'c1', waitedMs: 60_000 });
  });

  it('longestWaitMs: the longest wait in line, a requeued caller keeping the time they waited', () => {
    const { lobby, advance } = harness();
    expect(lobby.longestWaitMs()).toBe(0);
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    advance(10_000);
    call(lobby, 'c2', 'ko');
    advance(5_000);
    expect(lobby.longestWaitMs()).toBe(15_000);
    const { matchId } = takeOffer(lobby, 'a1');
    expect(lobby.longestWaitMs()).toBe(5_000);
    advance(20_000);
    ok(lobby.requeueCaller(matchId));
    expect(lobby.longestWaitMs()).toBe(35_000);
  });

  it('requeue releases the interpreter and cancels invitations', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    volunteerOn(lobby, 'v1', ['vi']);
    call(lobby, 'c1', 'vi');
    const { matchId } = takeOffer(lobby, 'a1');
    const r = ok(lobby.requeueCaller(matchId));
    expect(ofType(r.events, 'invitation-withdrawn')[0]).toMatchObject({
      volunteerId: 'v1',
      reason: 'cancelled',
    });
    expect(lobby.snapshot().volunteersByPresence.available).toBe(1);
  });

  it('an agent in a call cannot change presence; wrap-up can end by going available, away or offline', () => {
    const { lobby } = harness();
    const matchId = busyAgent(lobby, 'a1', ['ko']);
    expect(errorCode(lobby.setAgentPresence('a1', 'offline'))).toBe('invalid-state');
    ok(lobby.endMatch(matchId));
    ok(lobby.setAgentPresence('a1', 'away'));
    expect(lobby.inspect().agents[0]?.presence).toBe('away');
    ok(lobby.setAgentPresence('a1', 'available'));
    expect(lobby.inspect().agents[0]?.presence).toBe('available');
  });

  it('upserting an idle agent with a new language serves a caller already waiting', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ru');
    const r = ok(lobby.upsertAgent({ agentId: 'a1', languages: ['ko', 'ru'] }));
    expect(onlyOffer(r.events).callerId).toBe('c1');
  });
});

describe('validation: named errors and no state change on failure', () => {
  function failures(lobby: LobbyType): Array<[string, () => unknown]> {
    return [
      ['invalid-argument', () => lobby.enqueueCaller({ callerId: '', language: 'ko', mode: 'video' })],
      [
        'invalid-argument',
        () => lobby.enqueueCaller({ callerId: 'x', language: 'ko', mode: 'fax' as 'video' }),
      ],
      [
        'invalid-argument',
        () =>
          lobby.enqueueCaller({ callerId: 'x', language: 'ko', mode: 'video', priority: 'vip' as 'head' }),
      ],
      ['invalid-state', () => lobby.enqueueCaller({ callerId: 'c1', language: 'ko', mode: 'video' })],
      [
        'invalid-language',
        () => lobby.enqueueCaller({ callerId: 'x', language: 'not a tag', mode: 'video' }),
      ],
      ['not-found', () => lobby.cancelCaller('ghost')],
      ['invalid-argument', () => lobby.cancelCaller('c1', 'bored' as 'cancelled')],
      ['invalid-argument', () => lobby.upsertAgent({ agentId: 'a9', languages: [] })],
      ['invalid-argument', () => lobby.upsertAgent({ agentId: 'a9', languages: ['ko'], shift: 'brunch' })],
      ['invalid-language', () => lobby.upsertAgent({ agentId: 'a1', languages: ['ko', 'k o'] })],
      ['not-found', () => lobby.setAgentPresence('ghost', 'available')],
      ['invalid-argument', () => lobby.setAgentPresence('a1', 'in-call' as 'available')],
      ['invalid-state', () => lobby.setAgentPresence('a2', 'available')],
      ['not-found', () => lobby.acceptOffer('a2', 'offer-404')],
      ['not-found', () => lobby.endMatch('match-404')],
      ['invalid-state', () => lobby.finishWrapUp('a2')],
      ['not-found', () => lobby.requeueCaller('match-404')],
      [
        'invalid-argument',
        () =>
          lobby.upsertVolunteer({
            volunteerId: 'v9',
            languages: ['vi'],
            weeklyHours: [{ day: 9, start: '00:00', end: '01:00' }],
          }),
      ],
      ['not-found', () => lobby.setVolunteerPresence('ghost', 'available')],
      ['not-found', () => lobby.acceptInvitation('v1', 'inv-404')],
      ['not-found', () => lobby.declineInvitation('ghost', 'inv-1')],
      ['not-found', () => lobby.requestInterpreter('match-404')],
      ['not-found', () => lobby.interpreterLeft('match-404')],
      ['invalid-argument', () => lobby.chooseFallback('c1', 'never' as 'wait')],
    ];
  }

  it('every failure returns its code and leaves the state untouched', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    agentOn(lobby, 'a2', ['ko']);
    volunteerOn(lobby, 'v1', ['vi']);
    call(lobby, 'c1', 'ko');
    call(lobby, 'c2', 'kvk');
    call(lobby, 'c3', 'ko');
    expect(lobby.inspect().offers.map((o) => o.agentId)).toEqual(['a1', 'a2']);
    for (const [code, attempt] of failures(lobby)) {
      const before = JSON.stringify([lobby.inspect(), lobby.snapshot(), lobby.nextDeadline()]);
      const result = attempt() as { ok: boolean; error?: { code: string } };
      expect(result.ok, String(attempt)).toBe(false);
      expect(result.error?.code, String(attempt)).toBe(code);
      expect(JSON.stringify([lobby.inspect(), lobby.snapshot(), lobby.nextDeadline()]), String(attempt)).toBe(
        before,
      );
    }
  });

  it('rejects a bad configuration loudly', () => {
    const clock = () => 0;
    expect(() => new Lobby({ offerTimeoutMs: 0 }, clock)).toThrow(RangeError);
    expect(() => new Lobby({ maxMissedOffers: 1.5 }, clock)).toThrow(RangeError);
    expect(() => new Lobby({ timeZone: 'Mars/Olympus' }, clock)).toThrow(/timeZone/);
    expect(() => new Lobby({ bridgeLanguage: '??' }, clock)).toThrow(/bridgeLanguage/);
    expect(() => new Lobby({ shifts: [{ name: 'x', start: '25:00', end: '01:00' }] }, clock)).toThrow(
      RangeError,
    );
  });
});

describe('shifts and the supervisor snapshot', () => {
  it('knows the current shift from the calendar (Asia/Seoul by default)', () => {
    const h = harness({}, MONDAY_10_KST);
    expect(h.lobby.currentShift()).toBe('day');
    h.setTime(MONDAY_10_KST + 8 * 3_600_000); // 18:00
    expect(h.lobby.currentShift()).toBe('night');
    h.setTime(MONDAY_10_KST + 14 * 3_600_000); // 00:00 Tuesday
    expect(h.lobby.currentShift()).toBe('late-night');
    const custom = harness({ shifts: [{ name: 'overnight', start: '22:00', end: '06:00' }] }, MONDAY_10_KST);
    expect(custom.lobby.currentShift()).toBeNull();
    custom.setTime(MONDAY_10_KST + 13 * 3_600_000); // 23:00
    expect(custom.lobby.currentShift()).toBe('overnight');
  });

  it('summarises callers by language, agents by presence and shift, volunteers online', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko'], 'day');
    ok(lobby.upsertAgent({ agentId: 'a2', languages: ['ko'], shift: 'night' }));
    volunteerOn(lobby, 'v1', ['vi']);
    call(lobby, 'c1', 'ko');
    call(lobby, 'c2', 'ko');
    call(lobby, 'c3', 'mn', 'text');
    const s = lobby.snapshot();
    expect(s.shift).toBe('day');
    expect(s.callersWaiting).toBe(3);
    expect(s.callersByLanguage).toEqual({
      ko: { waiting: 2, text: 0, callback: 0 },
      mn: { waiting: 1, text: 1, callback: 0 },
    });
    expect(s.offersPending).toBe(1);
    expect(s.agentsByPresence).toMatchObject({ offered: 1, offline: 1 });
    expect(s.agentsOnlineByShift).toEqual({ day: 1 });
    expect(s.volunteersOnline).toBe(1);
  });
});

describe('many distinct languages', () => {
  it('prunes empty caller classes and keeps working (and a requeued caller finds their class again)', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko', 'en']);
    call(lobby, 'c-en', 'en-GB');
    const { matchId } = takeOffer(lobby, 'a1');
    const regions = Array.from(
      { length: 300 },
      (_, i) => `en-${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
    );
    for (const [i, tag] of regions.entries()) {
      call(lobby, `x${i}`, tag);
      ok(lobby.cancelCaller(`x${i}`));
    }
    call(lobby, 'waiting', 'en-US');
    ok(lobby.requeueCaller(matchId));
    agentOn(lobby, 'a2', ['en']);
    expect(lobby.inspect().offers).toMatchObject([{ agentId: 'a2', callerId: 'c-en' }]);
    expect(lobby.callerView('waiting')?.position).toBe(2);
  });
});
