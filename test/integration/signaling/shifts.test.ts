// An agent's shift, set with the CLI's store call, reaches the lobby when they sign in: supervisors
// count online agents per shift of the calendar in SHIFTS. A shift the calendar has since lost does
// not keep the agent from working.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ SHIFTS: 'early=06:00-14:00@mon-fri;late=14:00-22:00' });
});
afterAll(async () => {
  await app.stop();
});

it('counts signed-in agents under their shift, and one with an unknown shift under none', async () => {
  const early = await app.createStaff('agent', 'early-bird', ['ko']);
  await app.store.accounts.setShift(early, 'early');
  const stale = await app.createStaff('agent', 'old-roster', ['ko']);
  await app.store.accounts.setShift(stale, 'day'); // the default calendar's, not this one's
  await app.createStaff('agent', 'no-shift', ['ko']);

  const sockets = [];
  for (const username of ['early-bird', 'old-roster', 'no-shift']) {
    const socket = await connect(app, '/agent', await app.login(username, TEST_PASSWORD));
    ok(await socket.request('agent:set-presence', { presence: 'available' }));
    sockets.push(socket);
  }
  expect(app.calls.overview().agentsOnlineByShift).toEqual({ early: 1, '': 2 });

  // A changed shift counts from the next sign-in.
  await app.store.accounts.setShift(early, 'late');
  sockets[0]!.close();
  await until(() => app.calls.agents.presenceOf(early) === 'offline');
  const again = await connect(app, '/agent', await app.login('early-bird', TEST_PASSWORD));
  ok(await again.request('agent:set-presence', { presence: 'available' }));
  expect(app.calls.overview().agentsOnlineByShift).toEqual({ late: 1, '': 2 });
  for (const s of [again, ...sockets]) s.close();
});
