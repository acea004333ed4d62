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
import { mark } from './timeline';

type ServerEvents = CallerServerEvents | AgentServerEvents | VolunteerServerEvents;

/** A typed socket.io connection to one role's namespace: requests resolve with data or reject with a RelayError. */
export class Signaling<S extends ServerEvents> {
  readonly socket: Socket<S, ClientToServerEvents>;

  constructor(namespace: '/caller' | '/agent' | '/volunteer') {
    // Back quickly when a node goes away (the balancer sends the retry to another): 0.5 s, then up
    // to 2 s between attempts, each ±50 % so that a node's browsers do not all come at once.
    this.socket = io(namespace, {
      transports: ['websocket'],
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
    }) as Socket<S, ClientToServerEvents>;
  }

  request<K extends ClientMessageName>(
    name: K,
    payload: ClientPayload<K>,
    timeoutMs = 15_000,
  ): Promise<ClientAcks[K]> {
    return new Promise((resolve, reject) => {
      // The connection went while waiting: the answer will not come (the node may be gone), so
      // say so now rather than at the timeout; whoever asked may ask again once reconnected.
      const onDisconnect = () =>
        reject(new RelayError<RequestErrorCode>('disconnected', `${name}: the connection was lost`));
      this.socket.once('disconnect', onDisconnect);
      // socket.io's typed timeout() emit loses the ack type; this is the same call, typed for our acks.
      const timed = this.socket.timeout(timeoutMs) as unknown as {
        emit(n: K, p: ClientPayload<K>, cb: (err: Error | null, res: Ack<ClientAcks[K]>) => void): void;
      };
      mark(`${name} sent`);
      timed.emit(name, payload, (err, res) => {
        this.socket.off('disconnect', onDisconnect);
        mark(`${name} answered`);
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
