import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../common/protocol';
import { acceptInvitation, establishCall, startBridgedCall } from '../../helpers/calls';
import { connect, ok, startTestApp, type TestApp, type TestSocket } from '../../helpers/testApp';

let app: TestApp;
let open: TestSocket[] = [];
beforeAll(async () => {
  app = await startTestApp();
});
afterEach(() => {
  for (const s of open) s.close();
  open = [];
  for (const s of app.calls.sessions.all()) s.end('hangup');
});
afterAll(async () => {
  await app.stop();
});

/** The in-call events a socket hears, so a test can show a refused socket heard nothing of the call. */
function overhear(socket: TestSocket): string[] {
  const heard: string[] = [];
  socket.onAny((event: string) => {
    if (/^(session|chat|rtt|media):/.test(event)) heard.push(event);
  });
  return heard;
}

describe('a join token admits only the participant it was issued to', () => {
  it('refuses a leaked agent token to another agent and to an anonymous caller socket; the rightful agent stays in the call', async () => {
    const call = await establishCall(app, 'rightful');
    open.push(call.caller, call.agent);
    const session = app.calls.sessions.get(call.agentJoin.sessionId)!;
    const agentSeat = session.participantByRole('agent')!;

    const other = await connect(app, '/agent', (await app.addAgent('intruder')).cookie);
    const anonymous = await connect(app, '/caller');
    open.push(other, anonymous);
    const heardByOther = overhear(other);
    const heardByAnonymous = overhear(anonymous);

    expect(await other.request('session:join', { token: call.tokens.agent })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'this join token was issued to another agent' },
    });
    expect(await anonymous.request('session:join', { token: call.tokens.agent })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: "this join token belongs to the agent of its call; join from the agent's page",
      },
    });
    // Nor can the other agent use the caller's token: it is for a caller, on the caller's page.
    expect(await other.request('session:join', { token: call.tokens.caller })).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: "this join token belongs to the caller of its call; join from the caller's page",
      },
    });
    // Refused sockets hold no seat: they cannot act in the call.
    expect(await other.request('chat:send', { text: 'let me in' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // Nothing changed: the rightful agent is still seated and connected, and the call goes on.
    expect(session.participant(agentSeat.participantId)).toMatchObject({ connected: true });
    const atAgent = call.agent.next<ChatMessage>('chat:message');
    ok(await call.caller.request('chat:send', { text: 'are you still there?' }));
    expect((await atAgent).text).toBe('are you still there?');
    ok(await call.agent.request('chat:send', { text: 'yes' }));
    // The refused sockets heard nothing of the call (no chat, no one joining or leaving).
    expect(heardByOther).toEqual([]);
    expect(heardByAnonymous).toEqual([]);
  });

  it('admits the same agent on a second tab (same account), as a reconnect does', async () => {
    const call = await establishCall(app, 'two-tab-agent');
    const tab = await connect(
      app,
      '/agent',
      await app.login('two-tab-agent', 'correct horse battery staple'),
    );
    open.push(call.caller, call.agent, tab);
    const joined = ok(await tab.request<{ role: string }>('session:join', { token: call.tokens.agent }));
    expect(joined.role).toBe('agent');
  });

  it("refuses an interpreter's token to another volunteer, to an agent and to a caller socket", async () => {
    const call = await startBridgedCall(app, 'bound-interpreter', 2);
    open.push(call.caller, call.agent, ...call.volunteers);
    const [winner, loser] = call.volunteers as [TestSocket, TestSocket];
    const token = await acceptInvitation(winner, call.invitations[0]!);
    const anonymous = await connect(app, '/caller');
    open.push(anonymous);
    expect(await loser.request('session:join', { token })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'this join token was issued to another interpreter' },
    });
    for (const wrong of [call.agent, anonymous]) {
      expect(await wrong.request('session:join', { token })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    // The volunteer it was issued to joins as the interpreter.
    expect(ok(await winner.request<{ role: string }>('session:join', { token })).role).toBe('interpreter');
    // And an interpreter's socket cannot take the agent's seat with the agent's token.
    const agentToken = app.calls.sessions.get(call.agentJoin.sessionId)!.participantByRole('agent')!.token;
    expect(await winner.request('session:join', { token: agentToken })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
