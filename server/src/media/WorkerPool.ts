import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../logger';
import { TypedEmitter } from '../util/TypedEmitter';
import { mediaCodecs } from './codecs';
import { DEFAULT_INGRESS_POLICY, IngressPolicer, type IngressPolicy, type Policed } from './IngressPolicer';
import { countMediaObjects, type MediaObjectCounts } from './objectCounts';

export interface WorkerPoolOptions {
  workers: number;
  listenIp: string;
  announcedAddress: string;
  /** First WebRtcServer port; worker i listens on port + i (UDP and TCP). 0 picks free ports. */
  port: number;
  logLevel?: types.WorkerLogLevel;
  /** How much media a browser's transport may send (IngressPolicer.ts). */
  ingress?: IngressPolicy;
}

interface PooledWorker {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  routers: number;
}

export type WorkerPoolEvents = {
  /** A worker died; every router on it is gone. The pool has already started a replacement. */
  'worker-died': [index: number, routerIds: string[]];
  /** A transport kept sending far above its cap and was closed. */
  'transport-policed': [Policed];
};

/**
 * One mediasoup worker per core, each with one WebRtcServer (one UDP and one TCP port), so a
 * deployment opens a handful of fixed ports rather than a range. Calls go to the least-loaded worker.
 */
export class WorkerPool extends TypedEmitter<WorkerPoolEvents> {
  readonly #workers = new Map<number, PooledWorker>();
  readonly #routerWorker = new Map<string, number>();
  /** Workers being started in place of dead ones: a call moving off a dead worker may wait for one. */
  readonly #replacements = new Set<Promise<void>>();
  readonly #objects: MediaObjectCounts = { transports: 0, producers: 0, consumers: 0 };
  readonly #policer: IngressPolicer;
  #closed = false;

  private constructor(
    private readonly options: WorkerPoolOptions,
    private readonly log: Logger,
  ) {
    super((event, error) => log.error({ event, err: error }, 'worker pool listener failed'));
    this.#policer = new IngressPolicer(options.ingress ?? DEFAULT_INGRESS_POLICY, log, (policed) =>
      this.safeEmit('transport-policed', policed),
    );
  }

  static async create(options: WorkerPoolOptions, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(options, log.child({ module: 'media' }));
    try {
      // Workers start in parallel; a half-started pool is closed rather than leaked.
      await Promise.all(Array.from({ length: options.workers }, (_, i) => pool.#start(i)));
      await pool.#readCapabilities();
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  #capabilities: types.RtpCapabilities | null = null;

  /**
   * What every router of this pool can carry: each is made with the same codecs, so the answer is
   * known before any call. Pages load their mediasoup-client Device with it while an offer rings
   * or a caller waits, rather than after the accept.
   */
  get rtpCapabilities(): types.RtpCapabilities {
    if (!this.#capabilities) throw new Error('the worker pool has not started');
    return this.#capabilities;
  }

  /** A router made and closed at once, only to read them (not counted as a call's router). */
  async #readCapabilities(): Promise<void> {
    const pooled = this.#leastLoaded();
    if (!pooled) throw new Error('no media worker is running');
    const probe = await pooled.worker.createRouter({ mediaCodecs });
    this.#capabilities = probe.rtpCapabilities;
    probe.close();
  }

  async #start(index: number): Promise<void> {
    const worker = await mediasoup.createWorker({
      logLevel: this.options.logLevel ?? 'warn',
      disableLiburing: true,
      appData: { index },
    });
    let webRtcServer: types.WebRtcServer;
    try {
      const port = this.options.port === 0 ? undefined : this.options.port + index;
      const listen = { ip: this.options.listenIp, announcedAddress: this.options.announcedAddress, port };
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { ...listen, protocol: 'udp' },
          { ...listen, protocol: 'tcp' },
        ],
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    const pooled: PooledWorker = { index, worker, webRtcServer, routers: 0 };
    this.#workers.set(index, pooled);
    worker.on('died', (error) => this.#onDied(pooled, error));
    this.log.info({ index, pid: worker.pid }, 'media worker started');
  }

  #onDied(pooled: PooledWorker, error: Error): void {
    this.#workers.delete(pooled.index);
    const routerIds = [...this.#routerWorker].filter(([, i]) => i === pooled.index).map(([id]) => id);
    for (const id of routerIds) this.#routerWorker.delete(id);
    this.log.error(
      { index: pooled.index, pid: pooled.worker.pid, err: error, routers: routerIds.length },
      'media worker died',
    );
    if (!this.#closed) {
      const replacement = this.#start(pooled.index)
        .catch((err: unknown) =>
          this.log.fatal({ index: pooled.index, err }, 'could not replace a dead media worker'),
        )
        .finally(() => this.#replacements.delete(replacement));
      this.#replacements.add(replacement);
    }
    this.safeEmit('worker-died', pooled.index, routerIds);
  }

  /** A new router on the worker with the fewest routers, with the WebRtcServer to attach transports to. */
  async createRouter(
    appData: types.AppData = {},
  ): Promise<{ router: types.Router; webRtcServer: types.WebRtcServer }> {
    let pooled = this.#leastLoaded();
    if (!pooled && this.#replacements.size > 0) {
      await Promise.all(this.#replacements);
      pooled = this.#leastLoaded();
    }
    if (!pooled) throw new Error('no media worker is running');
    const router = await pooled.worker.createRouter({ mediaCodecs, appData });
    pooled.routers += 1;
    this.#routerWorker.set(router.id, pooled.index);
    countMediaObjects(router, this.#objects);
    router.observer.on('newtransport', (transport) => {
      if (transport.type === 'webrtc') this.#policer.watch(transport as types.WebRtcTransport);
    });
    router.observer.once('close', () => {
      pooled.routers -= 1;
      this.#routerWorker.delete(router.id);
    });
    return { router, webRtcServer: pooled.webRtcServer };
  }

  #leastLoaded(): PooledWorker | undefined {
    // A worker that just died is still listed until its 'died' event: skip it by its own flag.
    return [...this.#workers.values()]
      .filter((w) => !w.worker.closed)
      .sort((a, b) => a.routers - b.routers)[0];
  }

  /** Routers open right now, for health checks and for tests proving that hang-up frees media. */
  get routerCount(): number {
    return this.#routerWorker.size;
  }

  /** The pid of the worker process holding a router (operators and failure tests kill it on purpose). */
  workerPidOf(routerId: string): number | undefined {
    const index = this.#routerWorker.get(routerId);
    return index === undefined ? undefined : this.#workers.get(index)?.worker.pid;
  }

  /** Transports, producers and consumers open right now on this pool's routers. */
  get objectCounts(): Readonly<MediaObjectCounts> {
    return { ...this.#objects };
  }

  /**
   * Each running worker's resource usage since it started (ms of CPU, KiB of peak memory). A worker
   * that cannot answer (dying as we ask) is left out.
   */
  async resourceUsage(): Promise<Array<{ index: number; usage: types.WorkerResourceUsage }>> {
    const running = [...this.#workers.values()].filter((w) => !w.worker.closed);
    const answers = await Promise.all(
      running.map((w) =>
        w.worker.getResourceUsage().then(
          (usage) => ({ index: w.index, usage }),
          () => null,
        ),
      ),
    );
    return answers.filter((a) => a !== null);
  }

  /** CPU time (user + system, ms) the running workers have used since each started. */
  async cpuTimeMs(): Promise<number> {
    const usage = await this.resourceUsage();
    return usage.reduce((sum, { usage: u }) => sum + u.ru_utime + u.ru_stime, 0);
  }

  get workerCount(): number {
    return this.#workers.size;
  }

  get workerPids(): number[] {
    return [...this.#workers.values()].map((w) => w.worker.pid);
  }

  close(): void {
    this.#closed = true;
    this.#policer.close();
    for (const { worker } of this.#workers.values()) worker.close();
    this.#workers.clear();
  }
}
