import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LobbyEvent } from '../../../server/src/lobby';
import {
  agentOn,
  ALL_WEEK,
  call,
  errorCode,
  harness,
  MONDAY_10_KST,
  ofType,
  ok,
  takeOffer,
  volunteerOn,
} from './helpers';

describe('the lobby is the one owner of staff presence', () => {
  it('tells every agent state change, with the reason when missed offers set them away', () => {
    const h = harness({ offerTimeoutMs: 1000, maxMissedOffers: 1 });
    expect(ofType(agentOn(h.lobby, 'a1', ['ko']), 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'available' },
    ]);
    expect(ofType(call(h.lobby, 'c1', 'ko').events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'offered' },
    ]);
    expect(ofType(h.advance(1000), 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'away', reason: 'missed-offers' },
    ]);
  });

  it('keeps why an agent is away: told with each change, forgotten on leaving away', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    expect(ofType(ok(lobby.setAgentPresence('a1', 'away', 'meal')).events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'away', reason: 'meal' },
    ]);
    expect(lobby.agentView('a1')).toEqual({ presence: 'away', reason: 'meal' });
    // Away again for another reason: the reason alone changes, and is told.
    expect(ofType(ok(lobby.setAgentPresence('a1', 'away', 'training')).events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'away', reason: 'training' },
    ]);
    // The same reason again changes nothing.
    expect(ok(lobby.setAgentPresence('a1', 'away', 'training')).events).toEqual([]);
    expect(ofType(ok(lobby.setAgentPresence('a1', 'available')).events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'available' },
    ]);
    expect(lobby.agentView('a1')).toEqual({ presence: 'available' });
    expect(lobby.inspect().agents[0]?.presence).toBe('available');
  });

  it('refuses a reason that is not a chosen one, or a reason without away', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    // 'missed-offers' is the system's reason only.
    expect(errorCode(lobby.setAgentPresence('a1', 'away', 'missed-offers' as never))).toBe(
      'invalid-argument',
    );
    expect(errorCode(lobby.setAgentPresence('a1', 'away', 'nap' as never))).toBe('invalid-argument');
    expect(errorCode(lobby.setAgentPresence('a1', 'offline', 'break'))).toBe('invalid-argument');
    expect(errorCode(lobby.setAgentPresence('a1', 'available', 'break'))).toBe('invalid-argument');
    expect(lobby.agentView('a1')).toEqual({ presence: 'available' });
  });

  it('an agent going away mid-offer is away with their reason, and the caller goes on', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    agentOn(lobby, 'a2', ['ko']);
    call(lobby, 'c1', 'ko');
    const events = ok(lobby.setAgentPresence('a1', 'away', 'after-difficult-call')).events;
    expect(ofType(events, 'offer-withdrawn')).toEqual([
      expect.objectContaining({ agentId: 'a1', reason: 'agent-left' }),
    ]);
    expect(ofType(events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'away', reason: 'after-difficult-call' },
      { type: 'agent-presence', agentId: 'a2', presence: 'offered' },
    ]);
    expect(lobby.agentView('a1')).toEqual({ presence: 'away', reason: 'after-difficult-call' });
  });

  it('missed offers replace a chosen reason only by setting the agent away themselves', () => {
    const h = harness({ offerTimeoutMs: 1000, maxMissedOffers: 1 });
    agentOn(h.lobby, 'a1', ['ko']);
    call(h.lobby, 'c1', 'ko');
    h.advance(1000);
    expect(h.lobby.agentView('a1')).toEqual({ presence: 'away', reason: 'missed-offers' });
    // The agent says why they stay away: their reason replaces the system's.
    expect(ofType(ok(h.lobby.setAgentPresence('a1', 'away', 'break')).events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'away', reason: 'break' },
    ]);
  });

  it('through a call: offered, in call, wrap-up, available', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const { matchId, events } = takeOffer(lobby, 'a1');
    expect(ofType(events, 'agent-presence').map((e) => e.presence)).toEqual(['in-call']);
    expect(ofType(ok(lobby.endMatch(matchId)).events, 'agent-presence').map((e) => e.presence)).toEqual([
      'wrap-up',
    ]);
    expect(ofType(ok(lobby.finishWrapUp('a1')).events, 'agent-presence').map((e) => e.presence)).toEqual([
      'available',
    ]);
    expect(lobby.agentView('a1')).toEqual({ presence: 'available' });
    expect(lobby.agentView('nobody')).toBeNull();
  });

  it('an agent who went offline in wrap-up resumes it on return, and only from offline or away', () => {
    const { lobby } = harness();
    agentOn(lobby, 'a1', ['ko']);
    call(lobby, 'c1', 'ko');
    const { matchId } = takeOffer(lobby, 'a1');
    expect(errorCode(lobby.resumeWrapUp('a1'))).toBe('invalid-state');
    ok(lobby.endMatch(matchId));
    ok(lobby.setAgentPresence('a1', 'offline'));
    expect(lobby.snapshot().agentsByPresence['wrap-up']).toBe(0);
    call(lobby, 'c2', 'ko');
    expect(ofType(ok(lobby.resumeWrapUp('a1')).events, 'agent-presence')).toEqual([
      { type: 'agent-presence', agentId: 'a1', presence: 'wrap-up' },
    ]);
    // In wrap-up nobody is offered to them; finishing it makes the waiting caller theirs.
    expect(lobby.inspect().offers).toEqual([]);
    expect(ok(lobby.resumeWrapUp('a1')).events).toEqual([]);
    expect(ofType(ok(lobby.finishWrapUp('a1')).events, 'offer')).toHaveLength(1);
    expect(errorCode(lobby.resumeWrapUp('nobody'))).toBe('not-found');
  });

  it('tells a volunteer their state and whether they are within their hours', () => {
    const h = harness();
    // Monday 10:00 in Seoul: inside 09:00–11:00, outside from 11:00.
    const hours = [{ day: 1, start: '09:00', end: '11:00' }];
    expect(ofType(volunteerOn(h.lobby, 'v1', ['vi'], hours), 'volunteer-presence')).toEqual([
      { type: 'volunteer-presence', volunteerId: 'v1', presence: 'available', withinHours: true },
    ]);
    expect(ofType(h.advance(60 * 60_000), 'volunteer-presence')).toEqual([
      { type: 'volunteer-presence', volunteerId: 'v1', presence: 'available', withinHours: false },
    ]);
    // New hours that cover now are told at once.
    const r = ok(h.lobby.upsertVolunteer({ volunteerId: 'v1', languages: ['vi'], weeklyHours: ALL_WEEK }));
    expect(ofType(r.events, 'volunteer-presence')).toEqual([
      { type: 'volunteer-presence', volunteerId: 'v1', presence: 'available', withinHours: true },
    ]);
  });

  it('replaying the presence events gives exactly the state the lobby holds (random sequences)', () => {
    const agents = ['a0', 'a1', 'a2'];
    const volunteers = ['v0', 'v1'];
    const op = fc.oneof(
      fc.record({
        k: fc.constant('agent' as const),
        i: fc.nat(2),
        p: fc.constantFrom('available', 'away', 'offline'),
      }),
      fc.record({
        k: fc.constant('vol' as const),
        i: fc.nat(1),
        p: fc.constantFrom('available', 'away', 'offline'),
      }),
      fc.record({ k: fc.constant('call' as const), lang: fc.constantFrom('ko', 'vi', 'kvk') }),
      fc.record({ k: fc.constant('accept' as const), i: fc.nat(2) }),
      fc.record({ k: fc.constant('end' as const) }),
      fc.record({ k: fc.constant('wrap' as const), i: fc.nat(2) }),
      fc.record({ k: fc.constant('invite' as const), i: fc.nat(1) }),
      fc.record({ k: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 40_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const h = harness({ offerTimeoutMs: 20_000, invitationTimeoutMs: 30_000 }, MONDAY_10_KST);
        const seenAgents = new Map<string, string>();
        const seenVolunteers = new Map<string, string>();
        const replay = (events: LobbyEvent[]) => {
          for (const e of events) {
            if (e.type === 'agent-presence') seenAgents.set(e.agentId, e.presence);
            if (e.type === 'volunteer-presence') seenVolunteers.set(e.volunteerId, e.presence);
          }
        };
        agents.forEach((agentId, i) =>
          replay(
            ok(h.lobby.upsertAgent({ agentId, languages: i === 0 ? ['ko', 'vi'] : ['ko', 'kvk'] })).events,
          ),
        );
        volunteers.forEach((volunteerId) =>
          replay(
            ok(h.lobby.upsertVolunteer({ volunteerId, languages: ['vi', 'ko'], weeklyHours: ALL_WEEK }))
              .events,
          ),
        );
        let callers = 0;
        for (const o of ops) {
          const s = h.lobby.inspect();
          const r = (() => {
            switch (o.k) {
              case 'agent':
                return h.lobby.setAgentPresence(agents[o.i] as string, o.p);
              case 'vol':
                return h.lobby.setVolunteerPresence(volunteers[o.i] as string, o.p);
              case 'call':
                return h.lobby.enqueueCaller({ callerId: `c${callers++}`, language: o.lang, mode: 'video' });
              case 'accept': {
                const offer = s.offers.find((x) => x.agentId === agents[o.i]);
                return offer ? h.lobby.acceptOffer(offer.agentId, offer.offerId) : null;
              }
              case 'end':
                return s.matches[0] ? h.lobby.endMatch(s.matches[0].matchId) : null;
              case 'wrap':
                return h.lobby.finishWrapUp(agents[o.i] as string);
              case 'invite': {
                const inv = s.invitations.find((x) => x.volunteerId === volunteers[o.i]);
                return inv ? h.lobby.acceptInvitation(inv.volunteerId, inv.invitationId) : null;
              }
              case 'time':
                return { ok: true as const, value: undefined, events: h.advance(o.ms) };
            }
          })();
          if (r?.ok) replay(r.events);
        }
        const state = h.lobby.inspect();
        for (const a of state.agents) expect(seenAgents.get(a.agentId) ?? 'offline').toBe(a.presence);
        for (const v of state.volunteers)
          expect(seenVolunteers.get(v.volunteerId) ?? 'offline').toBe(v.presence);
      }),
      { numRuns: 200 },
    );
  });
});
