import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

describe("a volunteer's hours decide when they are rung", () => {
  it('is not rung outside their hours, and is at once after saving hours that cover now', async () => {
    const account = await app.store.volunteers.register({
      username: 'hours',
      displayName: 'Hours Volunteer',
      password: TEST_PASSWORD,
      languages: [
        { tag: 'mn', level: 'native' },
        { tag: 'ko', level: 'fluent' },
      ],
    });
    await app.store.accounts.setApproved(account.id, true);
    const cookie = await app.login('hours', TEST_PASSWORD);
    const v = await connect(app, '/volunteer', cookie);
    // Online, but told plainly that outside their hours they will not be rung.
    expect(ok(await v.request('volunteer:set-presence', { presence: 'available' }))).toEqual({
      presence: 'available',
      withinHours: false,
    });
    const nowWithin = v.next<{ presence: string; withinHours: boolean }>('volunteer:presence');
    // A Mongolian caller and a Korean-speaking agent: no bridge while the volunteer is off hours.
    const caller = await connect(app, '/caller');
    ok(await caller.request('lobby:request', { language: 'mn', mode: 'video' }));
    const agent = await connect(app, '/agent', (await app.addAgent('hours-agent', ['ko'])).cookie);
    let offered = false;
    agent.on('agent:offer', () => (offered = true));
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(offered).toBe(false);
    expect(app.calls.overview().bridgeableLanguages).not.toContain('mn');
    const offer = agent.next<{ needsInterpreter: boolean; language: string }>('agent:offer');

    const res = await fetch(`${app.url}/api/volunteer/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
      }),
    });
    expect(res.status).toBe(200);
    expect(await offer).toMatchObject({ language: 'mn', needsInterpreter: true });
    expect(await nowWithin).toEqual({ presence: 'available', withinHours: true });
    for (const s of [v, caller, agent]) s.close();
  });
});
