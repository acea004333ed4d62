import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { CallMedia, WorkerPool } from '../../../server/src/media';
import { recordingLog } from '../../helpers/recordingLog';

/** The Node side of mediasoup's WebRtcServer keeps a map of its transports (read for testing only). */
const transportsHeldBy = (server: types.WebRtcServer) =>
  (server as unknown as { webRtcTransportsForTesting: Map<string, unknown> }).webRtcTransportsForTesting.size;

describe('a call that ends returns everything it held, against the real worker', () => {
  const recorded = recordingLog();
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create(
      { workers: 1, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0 },
      recorded.log,
    );
  });
  afterAll(() => pool.close());

  it("leaves no transport in the WebRtcServer's books (found by npm run fuzz: 220 kept after its calls)", async () => {
    // The shared server of the pool's one worker, reached the way a call reaches it.
    const probe = await pool.createRouter({ callId: 'probe' });
    const server = probe.webRtcServer;
    probe.router.close();
    const before = transportsHeldBy(server);

    for (let call = 0; call < 3; call++) {
      const media = await CallMedia.create(pool, `call-${call}`, recorded.log);
      for (const who of ['caller', 'agent', 'interpreter']) {
        media.addParticipant(who);
        await media.createTransport(who, 'send');
        await media.createTransport(who, 'recv');
      }
      expect(transportsHeldBy(server)).toBe(before + 6);
      media.close();
      expect(transportsHeldBy(server)).toBe(before);
    }
    expect(pool.routerCount).toBe(0);
    expect(recorded.errors()).toEqual([]);
  });
});
