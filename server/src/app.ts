import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Config } from './config';
import { AuthSessions } from './auth/AuthSessions';
import type { SignInLimitOptions } from './auth/SignInLimits';
import { createHttpApp } from './http/createHttpApp';
import { type Phase, startingHttpApp } from './http/health';
import { CentreCalendar } from './figures/calendar';
import { DEFAULT_CONFIG, Lobby } from './lobby';
import { createLogger, type Logger } from './logger';
import { DEFAULT_INGRESS_POLICY, localPlacement, WorkerPool } from './media';
import { createMetrics, type Metrics, metricsHandler, startMetricsServer } from './metrics';
import { CallCenter } from './sessions/CallCenter';
import { type PresenceReport, PresenceReportSchema } from './sessions/CallCenter';
import { type CallControl, controlOps, localControl } from './sessions/control';
import { type ClusterNode, startClusterNode } from './cluster/clusterNode';
import { LocalLobbyEngine } from './sessions/LobbyEngine';
import { type DrainResult, drainNode } from './drain';
import { attachSignaling } from './signaling';
import { ConnectionGuard } from './signaling/connectionGuard';
import { openStore, type Store } from './store';
import { PresenceRecorder } from './presence/PresenceRecorder';
import { BufferedCallRecords } from './store/BufferedCallRecords';
import { recordTarget } from './store/presenceIntervals';
import { RecordJournal } from './store/RecordJournal';
import { realScheduler, type Scheduler } from './util/scheduler';

export interface AppDeps {
  log?: Logger;
  /** Time and timers; tests pass a fake one so that waits need no sleeping. */
  scheduler?: Scheduler;
  store?: Store;
  /** How long a dropped participant may take to come back before the call ends for them. */
  reconnectGraceMs?: number;
  /** The sign-in limits (auth/SignInLimits); tests lower them to reach them quickly. */
  signInLimits?: SignInLimitOptions;
  /**
   * What an operator's `POST /admin/drain` (on METRICS_PORT) does: main.ts drains, closes and
   * exits as on SIGTERM. Without it, the app drains (and stays up, closed to new calls).
   */
  onDrainRequested?: () => void;
}

export interface App {
  url: string;
  port: number;
  httpServer: http.Server;
  /** The port /metrics has to itself (METRICS_PORT), or null. */
  metricsPort: number | null;
  io: Server;
  pool: WorkerPool;
  calls: CallCenter;
  store: Store;
  /** Call-record writes that wait on local disk while PostgreSQL is unreachable (null on SQLite). */
  records: BufferedCallRecords | null;
  auth: AuthSessions;
  /** This node's part in a cluster (null in the embedded default). */
  cluster: ClusterNode | null;
  /**
   * Stops taking new calls and waits up to `limitMs` for live ones to finish; the rest are ended
   * with every participant told why. Then `close()`.
   */
  drain(limitMs: number): Promise<DrainResult>;
  close(): Promise<void>;
}

/** The composition root: wires every part so tests can start a whole app on a random port. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const log = deps.log ?? createLogger(config.logLevel);
  const scheduler = deps.scheduler ?? realScheduler();
  // Listening first: while the rest is set up (workers, store, cluster join), /healthz says the
  // process is alive and /readyz says not yet; anything else is 503 until the app takes over.
  let phase: Phase = 'starting';
  let handler: http.RequestListener = startingHttpApp(() => phase, log.child({ module: 'http' }));
  const httpServer = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  // Off unless METRICS_TOKEN or METRICS_PORT is set: never public by default.
  const metrics = config.metrics && createMetrics();
  let metricsServer: http.Server | null = null;
  let drain: App['drain'] | null = null;
  try {
    if (config.metrics?.port != null && metrics) {
      const { token, port: metricsPort, host } = config.metrics;
      const onDrain =
        deps.onDrainRequested ?? (() => void drain?.(config.drainTimeoutMs).catch(() => undefined));
      metricsServer = (
        await startMetricsServer({ registry: metrics.registry, token, port: metricsPort, host, log, onDrain })
      ).server;
    }
    const parts = await setUp(config, deps, { log, scheduler, httpServer, metrics, phase: () => phase });
    handler = parts.httpApp;
    phase = 'ready';
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = config.publicUrl ?? `http://${host}:${port}`;
    // The TURN secret stays out of the log: the URLs and the policy say enough.
    const turn = config.turn && { urls: config.turn.urls, policy: config.turn.iceTransportPolicy };
    log.info({ url, workers: config.rtc.workers, turn }, 'relay centre listening');
    const { pool, calls, store, records, io, node, signaling, presence } = parts;
    const app: App = {
      url,
      port,
      httpServer,
      metricsPort: metricsServer ? (metricsServer.address() as AddressInfo).port : null,
      io,
      pool,
      calls,
      store,
      records,
      auth: parts.auth,
      cluster: node,
      async drain(limitMs) {
        phase = 'draining';
        // No new call is placed here from now on, whoever leads; a leader gives its lease and
        // its desks to a standby, so the calls it controlled go on under the next leader.
        await node?.setDraining();
        await node?.handOver();
        return drainNode(
          { sessions: () => calls.sessions.all(), routers: () => pool.routerCount },
          { scheduler, limitMs, log },
        );
      },
      async close() {
        closeNow(metricsServer);
        signaling.close();
        // Alone, this process's staff all go offline as it stops (in a cluster they stay, led elsewhere).
        if (!node) await presence.closeAll();
        // A cluster node hands its calls over rather than ending them; alone, it ends them.
        await node?.handOver();
        if (node) {
          await node.moveHostedCalls();
          // The moves' restart orders reach this node's sockets before they are closed.
          await new Promise((resolve) => setTimeout(resolve, MOVE_NOTICE_MS));
        }
        calls.close();
        await io.close();
        await node?.close();
        pool.close();
        await records?.close();
        if (!deps.store) await store.close();
      },
    };
    drain = (limitMs) => app.drain(limitMs);
    return app;
  } catch (err) {
    closeNow(httpServer);
    closeNow(metricsServer);
    throw err;
  }
}

/** Stops a server without waiting for its idle keep-alive connections (a scraper's, a probe's). */
function closeNow(server: http.Server | null): void {
  server?.close();
  server?.closeAllConnections();
}

/** Everything behind the listening server: workers, store, cluster join, call centre, signalling. */
async function setUp(
  config: Config,
  deps: AppDeps,
  ctx: {
    log: Logger;
    scheduler: Scheduler;
    httpServer: http.Server;
    metrics: Metrics | null;
    phase: () => Phase;
  },
) {
  const { log, scheduler, httpServer, metrics, phase } = ctx;
  const clock = scheduler.now;
  const store = deps.store ?? (await openStore(config.database));
  const pool = await WorkerPool.create(
    {
      workers: config.rtc.workers,
      listenIp: config.rtc.listenIp,
      announcedAddress: config.rtc.announcedAddress,
      port: config.rtc.port,
      ingress: { ...DEFAULT_INGRESS_POLICY, maxIncomingBitrate: config.rtc.maxIncomingBitrate },
    },
    log,
  );
  // One process by default; with REDIS_URL one node of a cluster (shared lobby log, one leader).
  const node = config.cluster
    ? await startClusterNode({ ...config.cluster, lobbyConfig: config.lobby, scheduler, log })
    : null;
  // PostgreSQL can go away while calls go on: their record writes then wait in a local journal.
  // (SQLite is a file of this process: a journal beside it would fail with it.)
  const records =
    config.database.url === undefined
      ? null
      : new BufferedCallRecords({
          target: recordTarget(store.calls, store.presence),
          journal: RecordJournal.open(config.recordJournal.file, { maxBytes: config.recordJournal.maxBytes }),
          scheduler,
          log: log.child({ module: 'records' }),
        });
  // What the last run journaled is written before anything new.
  const drained = records ? await records.drain() : true;
  // One process: a call the store still has open was cut when the last process ended. (In a
  // cluster other nodes' calls are live: closing those waits for the cluster's own bookkeeping.)
  // Only after the journal is written: a call whose end is still in it did not fail.
  if (!node) {
    const before = clock();
    const sweep = async () => {
      // Presence first: the last activity it goes by counts calls' arrivals, not the ends written next.
      const left = await store.presence.closeLeftOpen();
      if (left.closed > 0)
        log.warn(left, 'presence intervals left open by the last run are closed at its last known activity');
      const closed = await store.calls.closeLeftOpen(before);
      if (closed > 0) log.warn({ closed }, 'calls left open by the last run are recorded as failed');
    };
    if (drained) await sweep();
    else
      void records
        ?.whenEmpty()
        .then(sweep)
        .catch((err: unknown) => log.error({ err }, 'could not close the calls left open by the last run'));
  }
  const engine = node?.engine ?? new LocalLobbyEngine(new Lobby(config.lobby, clock), scheduler);
  // The centre's zone and shifts: a call's arrival is logged, and figures grouped, in these.
  const calendar = new CentreCalendar(DEFAULT_CONFIG.timeZone, config.lobby.shifts);
  const calls = new CallCenter({
    engine: metrics ? metrics.observeLobby(engine) : engine,
    media: node ? await node.hostMedia(pool) : localPlacement(pool, log),
    records: records ?? store.calls,
    ...(node && { directory: node.directory, desk: node.desk }),
    scheduler,
    log,
    turn: config.turn,
    arrival: (at) => calendar.arrival(at),
    ...(deps.reconnectGraceMs !== undefined && { reconnectGraceMs: deps.reconnectGraceMs }),
  });
  // Staff presence over time, from the lobby's own events (in a cluster, the leader's alone).
  const presence = new PresenceRecorder({
    writes: records ?? store.presence,
    clock,
    log: log.child({ module: 'presence' }),
  });
  presence.listen(calls);
  const local = localControl(calls);
  const control = node ? await node.control(local, controlOps(calls)) : local;
  const auth = new AuthSessions(clock, undefined, node?.sessionBook);
  const secureCookies = config.publicUrl?.startsWith('https:') ?? false;
  const httpApp = createHttpApp({
    store,
    auth,
    log: log.child({ module: 'http' }),
    clientDir: config.clientDir,
    trustProxy: config.trustProxy,
    allowedOrigins: config.allowedOrigins,
    clock,
    ...(deps.signInLimits && { signInLimits: deps.signInLimits }),
    secureCookies,
    phase,
    ...(metrics && {
      metrics: {
        timing: metrics.httpDuration,
        // On PORT only when no port of its own was asked for: then the token guards it.
        ...(config.metrics?.port == null && {
          endpoint: metricsHandler(metrics.registry, config.metrics?.token ?? null),
        }),
      },
    }),
    overview: () => control.call('overview'),
    figures: { calendar, thresholds: config.serviceLevelThresholds },
    centre: { timeZone: engine.lobby.config.timeZone, shifts: config.lobby.shifts },
    // New languages or hours reach the matching at once, not at the volunteer's next sign-in.
    onVolunteerProfileChanged: (accountId) => {
      void Promise.all([store.accounts.findById(accountId), store.volunteers.getProfile(accountId)])
        .then(async ([account, profile]) => {
          if (!account || !profile) return;
          await control.call('volunteers.profileChanged', {
            id: account.id,
            displayName: account.displayName,
            languages: profile.languages.map((l) => l.tag),
            weeklyHours: profile.weeklyHours,
          });
        })
        .catch((err: unknown) => log.error({ err, accountId }, 'could not apply a volunteer profile change'));
    },
  });
  // Our own pages only (by Origin), a bounded number of connections per address.
  const guard = new ConnectionGuard({
    allowedOrigins: config.allowedOrigins,
    maxSocketsPerAddress: config.maxSocketsPerAddress,
    trustProxy: config.trustProxy,
    clock,
    log: log.child({ module: 'signaling' }),
  });
  // Same origin only: no CORS. Small messages: SDP-sized payloads at most.
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // A caller whose network drops must be noticed within seconds, not the 45 s that socket.io's
    // defaults (25 s + 20 s) allow: the agent is told at once, and the reconnect grace starts.
    pingInterval: 10_000,
    pingTimeout: 5_000,
    allowRequest: guard.allowRequest,
    ...(node && { adapter: node.adapter }),
  });
  guard.track(io);
  const signaling = attachSignaling(io, {
    calls,
    control,
    auth,
    store,
    log,
    clock,
    callRequestsPerMinute: config.callRequestsPerMinute,
    draining: () => phase() === 'draining',
    trustProxy: config.trustProxy,
    ...(metrics && { onAck: metrics.onAck }),
    mediaCapabilities: pool.rtpCapabilities,
  });
  metrics?.attach({ calls, lobby: () => engine.lobby, pool, io, records });
  if (node) {
    // Leading: take over what the last leader's desks held; no longer leading: freeze, and let go
    // of it all once another node leads.
    node.onTakeover({
      takeOver: (snapshot) => calls.restore(snapshot),
      async gatherPresence() {
        for (const answer of await node.gatherPresence()) {
          const report = PresenceReportSchema.safeParse(answer);
          if (report.success) calls.presenceReport(report.data);
          else log.warn({ issues: report.error.issues }, 'unreadable presence report');
        }
      },
      freeze: () => calls.freeze(),
      thaw: () => calls.thaw(),
      standDown: () => calls.standDown(),
      stored: () => calls.stored(),
    });
    await node.servePresence(() => signaling.presence());
    // A new leader learns from every node which of its sockets never left: at once on a change of
    // leader, and every few seconds anyway, so that one lost answer costs nobody their place.
    node.onLeaderChange((leader) => void reportPresence(control, signaling.presence, scheduler, log, leader));
    const again = () => {
      if (phase() === 'draining') return;
      if (phase() === 'ready') control.call('presence.report', signaling.presence()).catch(() => undefined);
      scheduler.after(PRESENCE_EVERY_MS, again);
    };
    scheduler.after(PRESENCE_EVERY_MS, again);
  }
  return { store, records, pool, node, calls, auth, httpApp, io, signaling, presence };
}

/** How often a cluster node tells the leader about its sockets: well within the 30 s grace. */
const PRESENCE_EVERY_MS = 10_000;

/** How long a closing cluster node keeps its sockets after its hosted calls were told to move. */
const MOVE_NOTICE_MS = 500;

/** How long a node keeps trying to tell a new leader about its sockets (it may still be taking over). */
const REPORT_FOR_MS = 10_000;

async function reportPresence(
  control: CallControl,
  presence: () => PresenceReport,
  scheduler: Scheduler,
  log: Logger,
  leader: string,
): Promise<void> {
  const until = scheduler.now() + REPORT_FOR_MS;
  for (;;) {
    try {
      await control.call('presence.report', presence());
      return;
    } catch (err) {
      if (scheduler.now() >= until) {
        log.warn({ err, leader }, 'could not tell the new leader about this node’s sockets');
        return;
      }
      await new Promise<void>((resolve) => scheduler.after(250, resolve));
    }
  }
}
