// Public surface of the cluster module: one lobby, one leader, hot standbys (README.md here).
export * from './errors';
export { DEFAULT_LEASE_TIMING, resolveLeaseTiming, type LeaseTiming } from './timing';
export type { Lease, LeaseAttempt, LeaseHolder, LeaseStatus } from './Lease';
export { InProcessLease } from './InProcessLease';
export { RedisLease } from './RedisLease';
export {
  LeaseKeeper,
  type LeaseKeeperDeps,
  type LeaseKeeperEvents,
  type LeaseLossReason,
} from './LeaseKeeper';
export type { CommandLog, LogEntry, LogRecord, LogSnapshot, ReadOptions } from './CommandLog';
export { InProcessCommandLog, type EpochFence } from './InProcessCommandLog';
export { RedisCommandLog } from './RedisCommandLog';
export type { LobbyStateCodec } from './LobbyStateCodec';
export { applyEntry } from './applyEntry';
export {
  ReplicatedLobby,
  type AppliedEntry,
  type ReplicaRole,
  type ReplicatedLobbyDeps,
  type ReplicatedLobbyEvents,
} from './ReplicatedLobby';
export { bindLeadership } from './leadership';
export type { BroadcastListener, Bus, BusTransport, RequestHandler, Unsubscribe } from './Bus';
export { MessageBus, type MessageBusOptions } from './MessageBus';
export { InProcessBusNetwork } from './InProcessBus';
export { connectRedisBus, redisBusTransport, DEFAULT_BUS_PREFIX } from './RedisBus';
export { EpochGate } from './EpochGate';
export { DEFAULT_KEY_PREFIX, lobbyKeys, type LobbyKeys } from './redisKeys';
