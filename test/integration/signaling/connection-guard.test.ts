import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../helpers/waiting';
import { startTestApp, type TestApp } from '../../helpers/testApp';

/**
 * The attacks: socket.io accepted any `Origin`, and 5,000 sockets from one address. Now a handshake
 * from a foreign page is refused, and so is one from an address already holding
 * MAX_SOCKETS_PER_ADDRESS connections (all namespaces together; behind TRUST_PROXY the address
 * is the proxy's X-Forwarded-For, as for HTTP). Closing one frees its place.
 */
const CAP = 3;
let app: TestApp;
const open: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: 'true', MAX_SOCKETS_PER_ADDRESS: String(CAP) });
});
afterAll(async () => {
  for (const s of open) s.close();
  await app?.stop();
});

/** A real socket.io client from `address`, resolved once connected, rejected with the refusal. */
function socketFrom(
  address: string,
  namespace: '/caller' | '/agent',
  headers: Record<string, string> = {},
): Promise<Socket> {
  const socket = io(`${app.url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'x-forwarded-for': address, ...headers },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      open.push(socket);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** The engine.io handshake as a browser's first polling request makes it: the refusal's status and reason. */
async function handshake(address: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, {
    headers: { 'x-forwarded-for': address, ...headers },
  });
  return { status: res.status, body: await res.text() };
}

describe('socket.io origins', () => {
  it('refuses a handshake from a foreign page, with the reason', async () => {
    await expect(socketFrom('198.51.100.1', '/caller', { origin: 'https://evil.example' })).rejects.toThrow();
    const refused = await handshake('198.51.100.1', { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      message: expect.stringMatching(/origin is not allowed/),
    });
  });

  it('accepts our own page and clients that are no page (no Origin)', async () => {
    const ours = await socketFrom('198.51.100.2', '/caller', { origin: app.url });
    const bare = await socketFrom('198.51.100.2', '/caller');
    expect([ours.connected, bare.connected]).toEqual([true, true]);
    ours.close();
    bare.close();
  });
});

describe('MAX_SOCKETS_PER_ADDRESS', () => {
  it('refuses one address its next socket past the cap, across namespaces, and counts down on close', async () => {
    const crowded = '203.0.113.7';
    const { cookie } = await app.addAgent('crowded-agent');
    const sockets = [
      await socketFrom(crowded, '/caller'),
      await socketFrom(crowded, '/caller'),
      await socketFrom(crowded, '/agent', { cookie }),
    ];
    await expect(socketFrom(crowded, '/caller')).rejects.toThrow();
    const refused = await handshake(crowded);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      message: expect.stringMatching(/^Too many connections from this address \(at most 3\)/),
    });

    // Another address behind the same proxy is not affected.
    expect((await socketFrom('203.0.113.8', '/caller')).connected).toBe(true);

    // One closes: its place is free again once the server has seen it go.
    sockets[0]!.close();
    await until(async () =>
      socketFrom(crowded, '/caller').then(
        () => true,
        () => false,
      ),
    );
  });
});
