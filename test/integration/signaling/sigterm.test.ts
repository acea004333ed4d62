// SIGTERM to the real server process, mid-call: it drains (the call may go on up to the limit),
// then ends the call with both sides told why, and exits 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { App } from '../../../server/src/app';
import { openStore } from '../../../server/src/store';
import { startNodeProcess } from '../../helpers/nodeProcess';
import { connectCall } from '../../helpers/calls';
import { connect, TEST_PASSWORD } from '../../helpers/testApp';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-sigterm-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('drains on SIGTERM: the live call is told it ended for maintenance, then the process exits 0', async () => {
  const file = path.join(dir, 'relay.sqlite');
  const store = await openStore({ path: file });
  await store.accounts.create({
    username: 'night-agent',
    displayName: 'Night Agent',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  await store.close();
  const node = await startNodeProcess({
    nodeId: 'single',
    env: { DATABASE_PATH: file, DRAIN_TIMEOUT_MS: '1500', LOG_LEVEL: 'warn' },
  });
  const server = { url: node.url } as App;
  const login = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'night-agent', password: TEST_PASSWORD }),
  });
  const agent = await connect(server, '/agent', login.headers.get('set-cookie')!.split(';')[0]);
  const caller = await connect(server, '/caller');
  try {
    await connectCall(agent, caller);

    const told = caller.next<{ reason: string }>('session:ended', 10_000);
    const sentAt = Date.now();
    node.child.kill('SIGTERM');
    expect(await told).toEqual({ reason: 'shutdown' });
    // The call went on through the drain limit, not cut at the signal.
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1400);
    expect(await node.exited).toBe(0);
    expect(node.output()).toContain('1 call(s) ended at the drain limit');
  } finally {
    agent.close();
    caller.close();
    await node.stop();
  }
  // The drain wrote how the call ended (no app has started since to close it): cut by the service.
  const after = await openStore({ path: file });
  const [record] = await after.calls.list({});
  expect(record).toMatchObject({ outcome: 'failed' });
  expect(record?.endedAt).not.toBeNull();
  await after.close();
});
