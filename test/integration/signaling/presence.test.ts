import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPresence } from '../../../common/protocol';
import { establishCall } from '../../helpers/calls';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

const GRACE_MS = 1000;
const scheduler = new FakeScheduler();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { reconnectGraceMs: GRACE_MS, scheduler });
});
afterAll(async () => {
  await app.stop();
});

describe('what anyone is shown of staff presence is the lobby’s own state', () => {
  it('shows an agent in wrap-up who disconnects as offline, and their owed wrap-up comes back with them', async () => {
    const call = await establishCall(app, 'wrapper');
    const agentId = (await app.store.accounts.findByUsername('wrapper'))!.id;
    const wrapUp = call.agent.next<{ presence: AgentPresence }>('agent:presence');
    ok(await call.caller.request('session:hangup', {}));
    expect((await wrapUp).presence).toBe('wrap-up');
    expect(app.calls.overview().agentsByPresence['wrap-up']).toBe(1);

    call.agent.close();
    call.caller.close();
    await until(() => app.calls.agents.presenceOf(agentId) === 'offline');
    expect(app.calls.overview().agentsByPresence).toMatchObject({ 'wrap-up': 0, offline: 1 });

    // Signing in again: the wrap-up is still owed, and the lobby holds them in it until done.
    const again = await connect(app, '/agent', await app.login('wrapper', TEST_PASSWORD));
    await until(() => app.calls.agents.presenceOf(agentId) === 'wrap-up');
    expect(app.calls.overview().agentsByPresence['wrap-up']).toBe(1);
    expect(await again.request('agent:set-presence', { presence: 'available' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-state' },
    });
    expect(ok(await again.request<{ presence: AgentPresence }>('agent:wrap-up', { resolved: true }))).toEqual(
      {
        presence: 'available',
      },
    );
    expect(app.calls.agents.presenceOf(agentId)).toBe('available');
    again.close();
    await until(() => app.calls.agents.presenceOf(agentId) === 'offline');
  });

  it('an agent whose screen is gone when the call ends is offline, not wrap-up', async () => {
    const call = await establishCall(app, 'dropped-agent');
    const agentId = (await app.store.accounts.findByUsername('dropped-agent'))!.id;
    const left = call.caller.next('session:participant-away');
    call.agent.close();
    await left;
    // Within the agent's grace the caller hangs up: the call ends with nobody at the agent's desk.
    scheduler.advance(GRACE_MS / 2);
    ok(await call.caller.request('session:hangup', {}));
    await until(() => app.calls.agents.presenceOf(agentId) === 'offline');
    expect(app.calls.overview().agentsByPresence['wrap-up']).toBe(0);
    call.caller.close();
  });

  it('every tab of an agent hears each presence change the lobby makes', async () => {
    const { cookie, id } = await app.addAgent('two-tabs', ['ko']);
    const tab1 = await connect(app, '/agent', cookie);
    const tab2 = await connect(app, '/agent', cookie);
    let seenByTab2: { presence: AgentPresence; reason?: string } | undefined;
    tab2.on('agent:presence', (p: { presence: AgentPresence; reason?: string }) => (seenByTab2 = p));
    // Going away takes a reason: none, or one not on the list, is a bad payload.
    expect(await tab1.request('agent:set-presence', { presence: 'away' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(
      await tab1.request('agent:set-presence', { presence: 'away', reason: 'missed-offers' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await tab1.request('agent:set-presence', { presence: 'away', reason: 'meal' })).toEqual({
      ok: true,
      data: { presence: 'away', reason: 'meal' },
    });
    await until(() => seenByTab2?.presence === 'away');
    expect(seenByTab2).toEqual({ presence: 'away', reason: 'meal' });
    expect(app.calls.agents.presenceOf(id)).toBe('away');
    tab1.close();
    tab2.close();
    await until(() => app.calls.agents.presenceOf(id) === 'offline');
  });
});
