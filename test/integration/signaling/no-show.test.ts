import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence, JoinedSession, OfferView } from '../../../common/protocol';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { connect, ok, startTestApp, type TestApp, type TestSocket } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

// The caller's time to come to the call passes on a fake clock, without sleeping.
const GRACE_MS = 500;
const scheduler = new FakeScheduler();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { reconnectGraceMs: GRACE_MS, scheduler });
});
afterAll(async () => {
  await app.stop();
});

/** An agent answers a kvk caller and joins the call; the caller is matched but has not joined. */
async function answered(name: string) {
  const { cookie, id: agentId } = await app.addAgent(name);
  const agent = await connect(app, '/agent', cookie);
  const caller = await connect(app, '/caller');
  ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
  const offered = agent.next<OfferView>('agent:offer');
  ok(await agent.request('agent:set-presence', { presence: 'available' }));
  const { offerId } = await offered;
  const matched = caller.next<{ token: string }>('lobby:matched');
  const { token } = ok(await agent.request<{ token: string }>('agent:accept-offer', { offerId }));
  const joined = ok(await agent.request<JoinedSession>('session:join', { token }));
  const session = app.calls.sessions.get(joined.sessionId)!;
  return { agent, caller, agentId, recordId: session.recordId, callerToken: (await matched).token };
}

async function outcomeOf(recordId: string): Promise<string | null | undefined> {
  return (await app.store.calls.get(recordId))?.outcome;
}

function presences(socket: TestSocket): AgentPresence[] {
  const seen: AgentPresence[] = [];
  socket.on('agent:presence', (p: { presence: AgentPresence }) => seen.push(p.presence));
  return seen;
}

describe('a caller who never joins the call they were answered for', () => {
  it('ends it as a no-show: the agent is told why, owes no wrap-up, is available again and takes the next caller', async () => {
    const { agent, caller, agentId, recordId, callerToken } = await answered('stood-up');
    // The caller's tab closes before they come to the call.
    caller.close();
    const seen = presences(agent);
    const ended = agent.next<{ reason: string }>('session:ended');
    scheduler.advance(GRACE_MS);
    expect(await ended).toEqual({ reason: 'caller-no-show' });
    await until(() => app.calls.agents.presenceOf(agentId) === 'available');
    await until(() => seen.includes('available'));
    // Straight back to available: never in wrap-up for a call that did not happen.
    expect(seen).not.toContain('wrap-up');
    expect(await agent.request('agent:wrap-up', { resolved: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-state' },
    });
    // Answered, and the caller did not come: abandoned, not completed (nor failed: nothing broke).
    await until(async () => (await outcomeOf(recordId)) === 'abandoned');
    expect(app.calls.overview().agentsByPresence['wrap-up']).toBe(0);
    // The call is gone; its caller token opens nothing.
    const late = await connect(app, '/caller');
    expect(await late.request('session:join', { token: callerToken })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // The next caller is offered to this agent at once.
    const offered = agent.next<OfferView>('agent:offer');
    ok(await late.request('lobby:request', { language: 'kvk', mode: 'video' }));
    expect((await offered).language).toBe('kvk');
    ok(await late.request('lobby:cancel'));
    for (const s of [agent, late]) s.close();
  });

  it('is the same no-show when the agent gives up and hangs up before the caller came', async () => {
    const { agent, caller, agentId, recordId } = await answered('gave-up');
    const ended = agent.next<{ reason: string }>('session:ended');
    ok(await agent.request('session:hangup', {}));
    expect(await ended).toEqual({ reason: 'caller-no-show' });
    await until(() => app.calls.agents.presenceOf(agentId) === 'available');
    await until(async () => (await outcomeOf(recordId)) === 'abandoned');
    for (const s of [agent, caller]) s.close();
  });

  it('still owes a wrap-up once the caller did join, even if they then drop for good', async () => {
    const { agent, caller, agentId, recordId, callerToken } = await answered('real-call');
    ok(await caller.request('session:join', { token: callerToken }));
    const away = agent.next('session:participant-away');
    caller.close();
    await away;
    const ended = agent.next<{ reason: string }>('session:ended');
    scheduler.advance(GRACE_MS);
    expect(await ended).toEqual({ reason: 'participant-lost' });
    await until(() => app.calls.agents.presenceOf(agentId) === 'wrap-up');
    await until(async () => (await outcomeOf(recordId)) === 'completed');
    ok(await agent.request('agent:wrap-up', { resolved: false }));
    agent.close();
  });
});
