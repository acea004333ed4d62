import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Server } from 'socket.io';
import type { Lobby } from '../lobby';
import type { WorkerPool } from '../media';
import type { CallCenter } from '../sessions/CallCenter';
import type { LobbyEngine } from '../sessions/LobbyEngine';
import type { AckObserver } from '../signaling/respond';
import { ackLatency } from './ackLatency';
import { CallCounters } from './callCounters';
import { httpDuration } from './httpDuration';
import { registerLiveGauges } from './liveGauges';
import { registerMediaGauges } from './mediaGauges';
import { type RecordJournalStats, registerRecordGauges } from './recordGauges';
import { ObservedLobbyEngine } from './observedEngine';

export { metricsHandler, startMetricsServer } from './endpoint';

/** What the composition root wires in; docs/metrics-endpoint.md lists every metric. */
export interface Metrics {
  /** One registry per app, so that several apps in one process (tests, benches) never mix. */
  readonly registry: Registry;
  /** The lobby engine with its decisions counted (offers, invitations and how they ended). */
  observeLobby(engine: LobbyEngine): LobbyEngine;
  /** Express middleware timing every request. */
  readonly httpDuration: RequestHandler;
  /** Given to signalling's `Responder`s: the ack latency histogram. */
  readonly onAck: AckObserver;
  /** Once the parts exist: the gauges read at scrape time, and the call events counted. */
  attach(parts: {
    calls: CallCenter;
    lobby: () => Lobby;
    pool: WorkerPool;
    io: Server;
    /** The call-record journal (PostgreSQL only; null on SQLite). */
    records?: RecordJournalStats | null;
  }): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Node's own (process_*, nodejs_* incl. event-loop lag), under their usual names so that
  // standard Node.js dashboards work unchanged.
  collectDefaultMetrics({ register: registry });
  const counters = new CallCounters(registry);
  return {
    registry,
    observeLobby: (engine) => new ObservedLobbyEngine(engine, counters.lobbyResult),
    httpDuration: httpDuration(registry),
    onAck: ackLatency(registry),
    attach({ calls, lobby, pool, io, records }) {
      counters.watch(calls);
      registerLiveGauges(registry, { lobby, sessions: () => calls.sessions.all(), io });
      registerMediaGauges(registry, pool);
      // On SQLite there is no journal: the series are there (a dashboard needs no second shape), at 0.
      registerRecordGauges(registry, records ?? { stats: { pending: 0, bytes: 0, lost: 0 } });
    },
  };
}
