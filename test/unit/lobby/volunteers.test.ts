import { describe, expect, it } from 'vitest';
import type { Harness } from './helpers';
import {
  agentOn,
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

/** One ko agent, `n` vi volunteers (v1 longest idle), a vi caller bridged and accepted. */
function bridgedCall(h: Harness, n: number, ringBatch?: number) {
  const { lobby, advance } = h;
  agentOn(lobby, 'a1', ['ko']);
  for (let i = 1; i <= n; i++) {
    volunteerOn(lobby, `v${i}`, ['vi']);
    advance(1);
  }
  call(lobby, 'c1', 'vi');
  const { matchId, events } = takeOffer(lobby, 'a1');
  return { matchId, invitations: ofType(events, 'invitation'), ringBatch };
}

describe('volunteer invitations', () => {
  it('rings k at a time, longest idle first, all expiring together', () => {
    const h = harness({ volunteerRingBatch: 3 });
    const { invitations } = bridgedCall(h, 5);
    expect(invitations.map((i) => i.volunteerId)).toEqual(['v1', 'v2', 'v3']);
    expect(new Set(invitations.map((i) => i.expiresAt)).size).toBe(1);
    expect(invitations[0]?.expiresAt).toBe(h.now() + 30_000);
  });

  it('the first to accept wins; the others are withdrawn at once as taken; a late accept gets taken', () => {
    const h = harness();
    const { matchId, invitations } = bridgedCall(h, 3);
    const [i1, i2, i3] = invitations;
    if (i1 === undefined || i2 === undefined || i3 === undefined) throw new Error('expected 3 invitations');
    const r = ok(h.lobby.acceptInvitation('v2', i2.invitationId));
    expect(r.value.matchId).toBe(matchId);
    expect(ofType(r.events, 'interpreter-joined')).toEqual([
      { type: 'interpreter-joined', matchId, volunteerId: 'v2' },
    ]);
    expect(ofType(r.events, 'invitation-withdrawn').map((e) => [e.volunteerId, e.reason])).toEqual([
      ['v1', 'taken'],
      ['v3', 'taken'],
    ]);
    expect(errorCode(h.lobby.acceptInvitation('v1', i1.invitationId))).toBe('taken');
    expect(h.lobby.inspect().volunteers.find((v) => v.volunteerId === 'v1')?.presence).toBe('available');
  });

  it('on timeout the rung ones are withdrawn as expired and the next k are rung', () => {
    const h = harness({ volunteerRingBatch: 2 });
    const { invitations } = bridgedCall(h, 5);
    expect(invitations.map((i) => i.volunteerId)).toEqual(['v1', 'v2']);
    const events = h.advance(30_000);
    expect(ofType(events, 'invitation-withdrawn').map((e) => [e.volunteerId, e.reason])).toEqual([
      ['v1', 'expired'],
      ['v2', 'expired'],
    ]);
    expect(ofType(events, 'invitation').map((i) => i.volunteerId)).toEqual(['v3', 'v4']);
    expect(errorCode(h.lobby.acceptInvitation('v1', invitations[0]?.invitationId ?? ''))).toBe('expired');
  });

  it('an accept at the deadline is late even before the tick', () => {
    const h = harness();
    const { invitations } = bridgedCall(h, 1);
    h.setTime(invitations[0]?.expiresAt ?? 0);
    expect(errorCode(h.lobby.acceptInvitation('v1', invitations[0]?.invitationId ?? ''))).toBe('expired');
  });

  it('a decline rings one more in its place and the decliner is not rung again for that call', () => {
    const h = harness({ volunteerRingBatch: 2 });
    const { invitations } = bridgedCall(h, 3);
    const r = ok(h.lobby.declineInvitation('v1', invitations[0]?.invitationId ?? ''));
    expect(ofType(r.events, 'invitation').map((i) => i.volunteerId)).toEqual(['v3']);
    // v2 and v3 time out: they are rung again (no answer is not a no), v1 never is.
    const later = h.advance(30_000);
    expect(ofType(later, 'invitation').map((i) => i.volunteerId)).toEqual(['v2', 'v3']);
    expect(h.lobby.snapshot().matchesAwaitingInterpreter).toBe(1);
  });

  it('a match still needing an interpreter rings a volunteer as soon as one becomes available', () => {
    const h = harness();
    const { matchId, invitations } = bridgedCall(h, 1);
    ok(h.lobby.declineInvitation('v1', invitations[0]?.invitationId ?? ''));
    const r = volunteerOn(h.lobby, 'v9', ['vi']);
    expect(ofType(r, 'invitation')).toMatchObject([{ volunteerId: 'v9', matchId }]);
  });

  it('endMatch cancels pending invitations and frees the interpreter', () => {
    const h = harness();
    const { matchId, invitations } = bridgedCall(h, 2);
    ok(h.lobby.acceptInvitation('v1', invitations[0]?.invitationId ?? ''));
    const r = ok(h.lobby.endMatch(matchId));
    // No offers or invitations: only the presence the lobby now owns is told.
    expect(r.events).toEqual([
      { type: 'volunteer-presence', volunteerId: 'v1', presence: 'available', withinHours: true },
      { type: 'agent-presence', agentId: 'a1', presence: 'wrap-up' },
    ]);
    const states = h.lobby.inspect().volunteers.map((v) => [v.volunteerId, v.presence]);
    expect(states).toEqual([
      ['v1', 'available'],
      ['v2', 'available'],
    ]);
    const h2 = harness();
    const b = bridgedCall(h2, 2);
    const ended = ok(h2.lobby.endMatch(b.matchId));
    expect(ofType(ended.events, 'invitation-withdrawn').map((e) => e.reason)).toEqual([
      'cancelled',
      'cancelled',
    ]);
  });

  it('requestInterpreter mid-call rings volunteers for the requested language', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    volunteerOn(lobby, 'v-en', ['en']);
    call(lobby, 'c1', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    expect(errorCode(lobby.requestInterpreter(matchId, 'e n'))).toBe('invalid-language');
    const r = ok(lobby.requestInterpreter(matchId, 'en'));
    expect(ofType(r.events, 'invitation')).toMatchObject([{ volunteerId: 'v-en', language: 'en', matchId }]);
    expect(errorCode(lobby.requestInterpreter(matchId))).toBe('invalid-state');
    expect(lobby.inspect().matches[0]?.needsInterpreter).toBe(true);
  });

  it('interpreterLeft: the call goes on and others are rung, not the one who left', () => {
    const h = harness();
    const { matchId, invitations } = bridgedCall(h, 2, 1);
    const first = invitations[0];
    ok(h.lobby.acceptInvitation(first?.volunteerId ?? '', first?.invitationId ?? ''));
    const r = ok(h.lobby.interpreterLeft(matchId));
    const rung = ofType(r.events, 'invitation').map((i) => i.volunteerId);
    expect(rung).not.toContain(first?.volunteerId);
    expect(rung.length).toBeGreaterThan(0);
    expect(h.lobby.inspect().matches[0]).toMatchObject({ matchId, interpreterId: null });
    expect(errorCode(h.lobby.interpreterLeft(matchId))).toBe('invalid-state');
  });

  it('interpreterLeft without looking for another: nobody is rung, the one who left is available', () => {
    const h = harness();
    const { matchId, invitations } = bridgedCall(h, 2, 1);
    const first = invitations[0];
    ok(h.lobby.acceptInvitation(first?.volunteerId ?? '', first?.invitationId ?? ''));
    const r = ok(h.lobby.interpreterLeft(matchId, false));
    expect(ofType(r.events, 'invitation')).toEqual([]);
    expect(h.lobby.inspect().matches[0]).toMatchObject({
      matchId,
      interpreterId: null,
      needsInterpreter: false,
    });
    expect(h.lobby.volunteerView(first?.volunteerId ?? '')?.presence).toBe('available');
    // The agent may still ask for another one later.
    expect(ofType(ok(h.lobby.requestInterpreter(matchId)).events, 'invitation').length).toBeGreaterThan(0);
  });

  it('a volunteer cannot go offline mid-call; going offline while invited cancels and rings another', () => {
    const h = harness({ volunteerRingBatch: 1 });
    const { invitations } = bridgedCall(h, 2);
    const r = ok(h.lobby.setVolunteerPresence('v1', 'offline'));
    expect(ofType(r.events, 'invitation-withdrawn')[0]).toMatchObject({
      volunteerId: 'v1',
      reason: 'cancelled',
    });
    expect(ofType(r.events, 'invitation')[0]?.volunteerId).toBe('v2');
    ok(h.lobby.acceptInvitation('v2', ofType(r.events, 'invitation')[0]?.invitationId ?? ''));
    expect(errorCode(h.lobby.setVolunteerPresence('v2', 'offline'))).toBe('invalid-state');
    expect(invitations).toHaveLength(1);
  });
});

describe('volunteer weekly hours', () => {
  it('online but outside their hours is not available; at the start of the hours they are', () => {
    // Monday 10:00 in Seoul; hours Monday 11:00-12:00.
    const h = harness({ fallbackAfterMs: 24 * 3_600_000 }, MONDAY_10_KST);
    agentOn(h.lobby, 'a1', ['ko']);
    volunteerOn(h.lobby, 'v1', ['vi'], [{ day: 1, start: '11:00', end: '12:00' }]);
    const r = call(h.lobby, 'c1', 'vi');
    expect(ofType(r.events, 'offer')).toHaveLength(0);
    expect(ofType(r.events, 'fallback-available')[0]?.reason).toBe('no-capacity');
    expect(r.value.estimatedWaitMs).toBeNull();
    const startOfHours = MONDAY_10_KST + 3_600_000;
    expect(h.lobby.nextDeadline()).toBe(startOfHours);
    h.setTime(startOfHours - 1);
    expect(ofType(h.lobby.tick(), 'offer')).toHaveLength(0);
    h.setTime(startOfHours);
    expect(onlyOffer(h.lobby.tick())).toMatchObject({ callerId: 'c1', needsInterpreter: true });
    expect(h.lobby.snapshot().volunteersOnline).toBe(1);
  });

  it('at the end of their hours they stop counting', () => {
    const h = harness({ fallbackAfterMs: 24 * 3_600_000 }, MONDAY_10_KST);
    volunteerOn(h.lobby, 'v1', ['vi'], [{ day: 1, start: '09:00', end: '10:30' }]);
    expect(h.lobby.snapshot().volunteersOnline).toBe(1);
    expect(h.lobby.snapshot().bridgeableLanguages).toEqual([]); // no vi caller class yet
    call(h.lobby, 'c1', 'vi');
    expect(h.lobby.snapshot().bridgeableLanguages).toEqual(['vi']);
    expect(h.lobby.nextDeadline()).toBe(MONDAY_10_KST + 30 * 60_000);
    h.advance(30 * 60_000);
    expect(h.lobby.snapshot().volunteersOnline).toBe(0);
    expect(h.lobby.snapshot().bridgeableLanguages).toEqual([]);
  });

  it('validates weekly hours', () => {
    const { lobby } = harness();
    const bad = [
      [{ day: 7, start: '09:00', end: '10:00' }],
      [{ day: 1, start: '9:00', end: '10:00' }],
      [{ day: 1, start: '10:00', end: '09:00' }],
      [{ day: 1, start: '24:00', end: '24:00' }],
      [{ day: 1, start: '09:00', end: '24:01' }],
    ];
    for (const weeklyHours of bad) {
      expect(errorCode(lobby.upsertVolunteer({ volunteerId: 'v', languages: ['vi'], weeklyHours }))).toBe(
        'invalid-argument',
      );
    }
    ok(
      lobby.upsertVolunteer({
        volunteerId: 'v',
        languages: ['vi'],
        weeklyHours: [{ day: 0, start: '22:00', end: '24:00' }],
      }),
    );
  });
});
