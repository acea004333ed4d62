import { Counter, Gauge, type Registry } from 'prom-client';
import type { WorkerPool } from '../media';

/**
 * The media workers' load, read at scrape time: mediasoup's `getResourceUsage()` per worker (CPU
 * in ms, peak memory in KiB) and the pool's live routers, transports, producers and consumers.
 * `worker` is the pool's slot (0 … MEDIA_WORKERS-1): a replaced worker keeps its slot, so the
 * label set stays bounded, and its CPU counter starts again from 0 (rate() treats it as a reset).
 */
export function registerMediaGauges(registry: Registry, pool: WorkerPool): void {
  const registers = [registry];
  // One ask per scrape: the CPU and memory series are collected side by side, from one answer.
  let asking: ReturnType<WorkerPool['resourceUsage']> | null = null;
  const usageNow = () => (asking ??= pool.resourceUsage().finally(() => (asking = null)));
  new Gauge({
    name: 'relay_media_workers',
    help: 'mediasoup worker processes running on this node.',
    registers,
    collect() {
      this.set(pool.workerCount);
    },
  });
  new Counter({
    name: 'relay_media_worker_cpu_seconds_total',
    help: 'CPU time used by each mediasoup worker since it started, by worker slot and mode (user, system).',
    labelNames: ['worker', 'mode'],
    registers,
    async collect() {
      const usage = await usageNow();
      this.reset();
      for (const { index, usage: u } of usage) {
        this.inc({ worker: String(index), mode: 'user' }, u.ru_utime / 1000);
        this.inc({ worker: String(index), mode: 'system' }, u.ru_stime / 1000);
      }
    },
  });
  new Gauge({
    name: 'relay_media_worker_max_rss_bytes',
    help: 'Peak resident memory of each mediasoup worker since it started (ru_maxrss), by worker slot.',
    labelNames: ['worker'],
    registers,
    async collect() {
      const usage = await usageNow();
      this.reset();
      for (const { index, usage: u } of usage) this.set({ worker: String(index) }, u.ru_maxrss * 1024);
    },
  });
  new Gauge({
    name: 'relay_media_objects',
    help: 'mediasoup objects open on this node, by kind (router: one per call hosted here; transport, producer, consumer).',
    labelNames: ['kind'],
    registers,
    collect() {
      const { transports, producers, consumers } = pool.objectCounts;
      this.set({ kind: 'router' }, pool.routerCount);
      this.set({ kind: 'transport' }, transports);
      this.set({ kind: 'producer' }, producers);
      this.set({ kind: 'consumer' }, consumers);
    },
  });
  const policed = new Counter({
    name: 'relay_media_transports_policed_total',
    help: 'Browser transports closed for sending far above MEDIA_MAX_INCOMING_KBPS for seconds on end.',
    registers,
  });
  pool.on('transport-policed', () => policed.inc());
}
