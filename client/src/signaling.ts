import { io, type Socket } from 'socket.io-client';
import { RelayError } from '../../common/errors';
import type {
  Ack,
  AgentServerEvents,
  CallerServerEvents,
  ClientAcks,
  VolunteerServerEvents,
  ClientMessageName,
  ClientPayload,
  ClientToServerEvents,
} from '../../common/protocol';
import type { RequestErrorCode } from './requestError';

type ServerEvents = CallerServerEvents | AgentServerEvents | VolunteerServerEvents;

/** A typed socket.io connection to one role's namespace: requests resolve with data or reject with a RelayError. */
export class Signaling<S extends ServerEvents> {
  readonly socket: Socket<S, ClientToServerEvents>;

  constructor(namespace: '/caller' | '/agent' | '/volunteer') {
    this.socket = io(namespace, { transports: ['websocket'], withCredentials: true }) as Socket<
      S,
      ClientToServerEvents
    >;
  }

  request<K extends ClientMessageName>(
    name: K,
    payload: ClientPayload<K>,
    timeoutMs = 15_000,
  ): Promise<ClientAcks[K]> {
    return new Promise((resolve, reject) => {
      // socket.io's typed timeout() emit loses the ack type; this is the same call, typed for our acks.
      const timed = this.socket.timeout(timeoutMs) as unknown as {
        emit(n: K, p: ClientPayload<K>, cb: (err: Error | null, res: Ack<ClientAcks[K]>) => void): void;
      };
      timed.emit(name, payload, (err, res) => {
        if (err)
          return reject(new RelayError<RequestErrorCode>('timeout', `${name}: no answer from the server`));
        if (res.ok) resolve(res.data);
        else reject(new RelayError<RequestErrorCode>(res.error.code, res.error.message));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
