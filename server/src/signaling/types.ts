import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import type {
  AgentServerEvents,
  CallerServerEvents,
  ClientToServerEvents,
  SessionServerEvents,
  VolunteerServerEvents,
} from '../../../common/protocol';
import type { CallSeat } from '../sessions/SessionDesk';
import type { Account } from '../store';

/** What the server remembers on any socket that can join a call. */
export interface SessionSocketData {
  /** The socket's place in a call, set by `session:join`. */
  participant?: CallSeat;
}

export interface CallerSocketData extends SessionSocketData {
  /** Set once the caller asked for a call (or resumed their place). */
  callerId?: string;
}

export interface StaffSocketData extends SessionSocketData {
  /** The signed-in account, checked by the namespace's middleware before any event. */
  account: Account;
}

/** Each namespace with its own event map and socket data, so every emit and read is checked. */
export type CallerNamespace = Namespace<
  ClientToServerEvents,
  CallerServerEvents,
  DefaultEventsMap,
  CallerSocketData
>;
export type AgentNamespace = Namespace<
  ClientToServerEvents,
  AgentServerEvents,
  DefaultEventsMap,
  StaffSocketData
>;
export type VolunteerNamespace = Namespace<
  ClientToServerEvents,
  VolunteerServerEvents,
  DefaultEventsMap,
  StaffSocketData
>;
/** What every namespace can be sent: the in-call events. */
export type SessionNamespace = Namespace<
  ClientToServerEvents,
  SessionServerEvents,
  DefaultEventsMap,
  SessionSocketData
>;
export type AnySocket = Socket<
  ClientToServerEvents,
  SessionServerEvents,
  DefaultEventsMap,
  SessionSocketData
>;
export type CallerSocket = Socket<
  ClientToServerEvents,
  CallerServerEvents,
  DefaultEventsMap,
  CallerSocketData
>;
export type StaffSocket = Socket<
  ClientToServerEvents,
  AgentServerEvents | VolunteerServerEvents,
  DefaultEventsMap,
  StaffSocketData
>;
