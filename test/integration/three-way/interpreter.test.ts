import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvitationView, InterpreterStatus, ParticipantView } from '../../../common/protocol';
import { acceptInvitation, establishCall, startBridgedCall } from '../../helpers/calls';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { ok, startTestApp, type TestApp, type TestSocket } from '../../helpers/testApp';

// Invitation deadlines and grace periods pass on a fake clock, without sleeping.
const INVITATION_MS = 1500;
const GRACE_MS = 300;
const scheduler = new FakeScheduler();
let app: TestApp;
let open: TestSocket[] = [];
beforeAll(async () => {
  app = await startTestApp(
    { INVITATION_TIMEOUT_MS: String(INVITATION_MS) },
    { reconnectGraceMs: GRACE_MS, scheduler },
  );
});
afterEach(async () => {
  for (const s of open) s.close();
  open = [];
  for (const s of app.calls.sessions.all()) s.end('hangup');
});
afterAll(async () => {
  await app.stop();
});

describe('three-way interpreted calls', () => {
  it('lets exactly one of two volunteers who accept at the same instant join; the other is told it was taken', async () => {
    const call = await startBridgedCall(app, 'race', 2);
    open.push(call.caller, call.agent, ...call.volunteers);
    expect(call.callerJoin.interpreter).toEqual({ status: 'searching', language: 'vi' });
    const [a, b] = call.volunteers as [TestSocket, TestSocket];
    const [ia, ib] = call.invitations as [InvitationView, InvitationView];
    const joined = call.caller.next<ParticipantView>('session:participant-joined');
    const status = call.agent.next<InterpreterStatus>('session:interpreter');
    const [ra, rb] = await Promise.all([
      a.request<{ token: string }>('volunteer:accept-invitation', { invitationId: ia.invitationId }),
      b.request<{ token: string }>('volunteer:accept-invitation', { invitationId: ib.invitationId }),
    ]);
    const winners = [ra, rb].filter((r) => r.ok);
    const losers = [ra, rb].filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([{ ok: false, error: { code: 'taken', message: expect.any(String) } }]);

    const winner = ra.ok ? a : b;
    const token = ok(winners[0]!);
    const join = ok(await winner.request<{ role: string }>('session:join', { token: token.token }));
    expect(join.role).toBe('interpreter');
    expect((await joined).role).toBe('interpreter');
    expect(app.pool.routerCount).toBe(1);
    expect(await status).toEqual({ status: 'joined' });
  });

  it('refuses an invitation accepted after its deadline, cleanly', async () => {
    const call = await startBridgedCall(app, 'late', 1);
    open.push(call.caller, call.agent, ...call.volunteers);
    const v = call.volunteers[0]!;
    const ended = v.next<{ reason: string }>('volunteer:invitation-ended');
    scheduler.advance(INVITATION_MS);
    expect(
      await v.request('volunteer:accept-invitation', { invitationId: call.invitations[0]!.invitationId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'expired' },
    });
    expect((await ended).reason).toBe('expired');
    // The call itself goes on: the caller and the agent are still in it.
    expect(app.calls.sessions.get(call.callerJoin.sessionId)?.ended).toBe(false);
  });

  it('rings the next volunteer when one declines', async () => {
    const call = await startBridgedCall(app, 'decline', 4);
    open.push(call.caller, call.agent, ...call.volunteers);
    // Three are rung at once; the fourth is rung in place of the one who declines.
    const fourth = call.volunteers[3]!.next<InvitationView>('volunteer:invitation');
    ok(
      await call.volunteers[0]!.request('volunteer:decline-invitation', {
        invitationId: call.invitations[0]!.invitationId,
      }),
    );
    expect((await fourth).language).toBe('vi');
  });

  it('keeps the call going when the interpreter drops, and rings again', async () => {
    const call = await startBridgedCall(app, 'drop', 2);
    open.push(call.caller, call.agent, ...call.volunteers);
    const [first, second] = call.volunteers as [TestSocket, TestSocket];
    const token = await acceptInvitation(first, call.invitations[0]!);
    ok(await first.request('session:join', { token }));
    const away = call.caller.next<{ role: string }>('session:participant-away');
    const searching = call.agent.next<InterpreterStatus>('session:interpreter');
    const rungAgain = second.next<InvitationView>('volunteer:invitation');
    first.disconnect();
    expect((await away).role).toBe('interpreter');
    const left = call.caller.next<{ role: string }>('session:participant-left');
    scheduler.advance(GRACE_MS);
    // Past the grace they are out of the call for good, and the others are told so.
    expect((await left).role).toBe('interpreter');
    expect(await searching).toEqual({ status: 'searching', language: 'vi' });
    expect((await rungAgain).language).toBe('vi');
    const session = app.calls.sessions.get(call.callerJoin.sessionId)!;
    expect(session.ended).toBe(false);
    expect(session.participantByRole('interpreter')).toBeUndefined();
    // The caller and agent still talk: chat reaches the other side.
    const heard = call.agent.next<{ text: string }>('chat:message');
    ok(await call.caller.request('chat:send', { text: 'still here' }));
    expect((await heard).text).toBe('still here');
  });

  it("an interpreter's hang-up is leaving: the caller and agent go on, nobody is rung, the volunteer is free again", async () => {
    const call = await startBridgedCall(app, 'leaver', 2);
    open.push(call.caller, call.agent, ...call.volunteers);
    const [leaver, other] = call.volunteers as [TestSocket, TestSocket];
    const volunteerId = (await app.store.accounts.findByUsername('leaver-v0'))!.id;
    const token = await acceptInvitation(leaver, call.invitations[0]!);
    const interpreter = ok(await leaver.request<{ participantId: string }>('session:join', { token }));
    let rung = false;
    other.on('volunteer:invitation', () => (rung = true));

    const toldLeft = call.caller.next<{ participantId: string; role: string }>('session:participant-left');
    const status = call.agent.next<InterpreterStatus>('session:interpreter');
    const ownScreen = leaver.next<{ reason: string }>('session:ended');
    const free = leaver.next<{ presence: string }>('volunteer:presence');
    ok(await leaver.request('session:hangup', {}));
    expect(await ownScreen).toEqual({ reason: 'hangup' });
    expect(await toldLeft).toEqual({ participantId: interpreter.participantId, role: 'interpreter' });
    expect(await status).toEqual({ status: 'none' });
    expect((await free).presence).toBe('available');
    expect(app.calls.volunteers.presenceOf(volunteerId)).toBe('available');

    // The call goes on for the caller and the agent.
    const session = app.calls.sessions.get(call.callerJoin.sessionId)!;
    expect(session.ended).toBe(false);
    expect(session.participantByRole('interpreter')).toBeUndefined();
    const heard = call.agent.next<{ text: string }>('chat:message');
    ok(await call.caller.request('chat:send', { text: 'still talking' }));
    expect((await heard).text).toBe('still talking');
    // Nobody was rung in their place; the agent can ask for another interpreter.
    expect(rung).toBe(false);
    const invited = other.next<InvitationView>('volunteer:invitation');
    ok(await call.agent.request('agent:request-interpreter', {}));
    expect((await invited).language).toBe('vi');
    // The one who left is out of this call: their token no longer works.
    expect(await leaver.request('session:join', { token })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('only the caller or the agent ends the call for everyone', async () => {
    const call = await startBridgedCall(app, 'enders', 1);
    open.push(call.caller, call.agent, ...call.volunteers);
    const v = call.volunteers[0]!;
    const token = await acceptInvitation(v, call.invitations[0]!);
    ok(await v.request('session:join', { token }));
    const toInterpreter = v.next<{ reason: string }>('session:ended');
    const toCaller = call.caller.next<{ reason: string }>('session:ended');
    ok(await call.agent.request('session:hangup', {}));
    expect(await toInterpreter).toEqual({ reason: 'hangup' });
    expect(await toCaller).toEqual({ reason: 'hangup' });
    expect(app.calls.sessions.get(call.callerJoin.sessionId)).toBeUndefined();
  });

  it('lets the agent bring an interpreter into a two-way call, and remove them', async () => {
    const volunteer = await app.addVolunteer('mid-call', ['kvk', 'ko']);
    const { cookie } = await app.addAgent('two-way-first', ['kvk', 'ko']);
    const { connect } = await import('../../helpers/testApp');
    const v = await connect(app, '/volunteer', volunteer.cookie);
    ok(await v.request('volunteer:set-presence', { presence: 'available' }));
    const agent = await connect(app, '/agent', cookie);
    const caller = await connect(app, '/caller');
    open.push(v, agent, caller);
    ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
    const offered = agent.next<{ offerId: string; needsInterpreter: boolean }>('agent:offer');
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    const offer = await offered;
    expect(offer.needsInterpreter).toBe(false);
    const matched = caller.next<{ token: string }>('lobby:matched');
    const { token } = ok(
      await agent.request<{ token: string }>('agent:accept-offer', { offerId: offer.offerId }),
    );
    ok(await agent.request('session:join', { token }));
    ok(await caller.request('session:join', { token: (await matched).token }));

    const invited = v.next<InvitationView>('volunteer:invitation');
    ok(await agent.request('agent:request-interpreter', {}));
    const inv = await invited;
    expect(inv.language).toBe('kvk');
    const accepted = ok(
      await v.request<{ token: string }>('volunteer:accept-invitation', { invitationId: inv.invitationId }),
    );
    ok(await v.request('session:join', { token: accepted.token }));

    // The caller cannot remove anyone; the agent can.
    expect(await caller.request('agent:remove-interpreter', { replace: false })).toMatchObject({ ok: false });
    const removed = v.next<{ reason: string }>('session:ended');
    ok(await agent.request('agent:remove-interpreter', { replace: false }));
    expect((await removed).reason).toBe('removed');
    expect(await v.request('chat:send', { text: 'hello?' })).toMatchObject({ ok: false });
    expect(app.calls.volunteers.presenceOf(volunteer.id)).toBe('available');

    // Removed from one call, the same connection can interpret the next one.
    ok(await agent.request('session:hangup', {}));
    const next = await establishCall(app, 'after-removal');
    open.push(next.caller, next.agent);
    const invitedAgain = v.next<InvitationView>('volunteer:invitation');
    ok(await next.agent.request('agent:request-interpreter', {}));
    const again = await invitedAgain;
    const second = ok(
      await v.request<{ token: string }>('volunteer:accept-invitation', { invitationId: again.invitationId }),
    );
    expect(ok(await v.request<{ role: string }>('session:join', { token: second.token })).role).toBe(
      'interpreter',
    );
  });
});
