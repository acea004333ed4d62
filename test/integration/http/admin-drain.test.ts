// The operator's drain: POST /admin/drain on the operators' port (METRICS_PORT), behind the
// metrics token, stops the node as SIGTERM does (drain, close, exit 0). Not on the public port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_METRICS_TOKEN, startNodeProcess, type NodeProcess } from '../../helpers/nodeProcess';
import { freePort } from '../../helpers/waiting';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-admin-drain-'));
let node: NodeProcess | undefined;

afterAll(async () => {
  await node?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POST /admin/drain', () => {
  it('refuses without the token, is not on the public port, and with it drains and exits 0', async () => {
    const metricsPort = await freePort();
    node = await startNodeProcess({
      nodeId: 'drained',
      env: { DATABASE_PATH: path.join(dir, 'relay.sqlite'), METRICS_PORT: String(metricsPort) },
    });
    const admin = `http://127.0.0.1:${metricsPort}/admin/drain`;
    expect((await fetch(admin, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${node.url}/admin/drain`, { method: 'POST' })).status).toBe(404);
    expect(node.child.exitCode).toBeNull();

    const asked = await fetch(admin, {
      method: 'POST',
      headers: { authorization: `Bearer ${NODE_METRICS_TOKEN}` },
    });
    expect(asked.status).toBe(202);
    expect(await asked.json()).toEqual({ draining: true });
    expect(await node.exited).toBe(0);
    expect(node.output()).toContain('POST /admin/drain: draining');
  });
});
