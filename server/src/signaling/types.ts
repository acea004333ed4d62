import type { Namespace, Socket } from 'socket.io';
import type {
  AgentServerEvents,
  CallerServerEvents,
  ClientToServerEvents,
  SessionServerEvents,
  VolunteerServerEvents,
} from '../../../common/protocol';

/** Each namespace with its own event map, so every emit is checked against the protocol. */
export type CallerNamespace = Namespace<ClientToServerEvents, CallerServerEvents>;
export type AgentNamespace = Namespace<ClientToServerEvents, AgentServerEvents>;
export type VolunteerNamespace = Namespace<ClientToServerEvents, VolunteerServerEvents>;
/** What every namespace can be sent: the in-call events. */
export type SessionNamespace = Namespace<ClientToServerEvents, SessionServerEvents>;
export type AnySocket = Socket<ClientToServerEvents, SessionServerEvents>;
