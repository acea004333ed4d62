// The policer's rule on its own: a transport is closed only after `strikes` samples in a row above
// tolerance × cap, a burst between normal samples starts the count again, and every transport is
// told its cap. The real worker and real RTP are in test/integration/media/ingress-policer.test.ts.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { IngressPolicer, type Policed } from '../../server/src/media/IngressPolicer';
import { createLogger } from '../../server/src/logger';
import { FakeScheduler } from '../helpers/FakeScheduler';

/** What the policer uses of a WebRtcTransport, with a bitrate the test sets per sample. */
class Transport {
  readonly observer = new EventEmitter();
  readonly appData = { participantId: 'p1' };
  closed = false;
  bitrate = 0;
  cap: number | null = null;
  constructor(readonly id: string) {}
  setMaxIncomingBitrate(bps: number) {
    this.cap = bps;
    return Promise.resolve();
  }
  getStats() {
    return Promise.resolve([{ recvBitrate: this.bitrate }]);
  }
  close() {
    this.closed = true;
    this.observer.emit('close');
  }
}

const policy = { maxIncomingBitrate: 1_000_000, tolerance: 1.5, strikes: 3, sampleMs: 1000 };

function setUp() {
  const scheduler = new FakeScheduler();
  const policed: Policed[] = [];
  const policer = new IngressPolicer(policy, createLogger('silent'), (p) => policed.push(p), scheduler);
  /** One sample: the clock moves a period, and the worker's (resolved) answers are read. */
  const sample = async (bitrates: Record<string, number>, transports: Transport[]) => {
    for (const t of transports) t.bitrate = bitrates[t.id] ?? 0;
    scheduler.advance(policy.sampleMs);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const watch = (t: Transport) => policer.watch(t as unknown as types.WebRtcTransport);
  return { scheduler, policed, policer, sample, watch };
}

describe('IngressPolicer', () => {
  it('tells each transport its cap and closes one only after three samples in a row above 1.5×', async () => {
    const { policed, sample, watch } = setUp();
    const flooding = new Transport('flooding');
    const normal = new Transport('normal');
    watch(flooding);
    watch(normal);
    expect(flooding.cap).toBe(1_000_000);
    const rates = { flooding: 10_000_000, normal: 1_400_000 };
    await sample(rates, [flooding, normal]);
    await sample(rates, [flooding, normal]);
    expect(flooding.closed).toBe(false);
    await sample(rates, [flooding, normal]);
    expect(flooding.closed).toBe(true);
    expect(normal.closed).toBe(false);
    expect(policed).toEqual([
      { transportId: 'flooding', appData: { participantId: 'p1' }, bitrate: 10_000_000 },
    ]);
  });

  it('starts the count again after a sample within the limit (a keyframe burst is not a flood)', async () => {
    const { policed, sample, watch } = setUp();
    const t = new Transport('bursty');
    watch(t);
    for (const bps of [2_000_000, 2_000_000, 900_000, 2_000_000, 2_000_000, 900_000]) {
      await sample({ bursty: bps }, [t]);
    }
    expect(t.closed).toBe(false);
    expect(policed).toEqual([]);
  });

  it('stops sampling when nothing is watched, and after close()', async () => {
    const { scheduler, sample, policer, watch } = setUp();
    const t = new Transport('t');
    watch(t);
    expect(scheduler.pending).toBe(1);
    t.close();
    await sample({}, []);
    expect(scheduler.pending).toBe(0);
    watch(new Transport('u'));
    expect(scheduler.pending).toBe(1);
    policer.close();
    expect(scheduler.pending).toBe(0);
    watch(new Transport('v'));
    expect(scheduler.pending).toBe(0);
  });
});
