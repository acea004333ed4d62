import type { RouterRtpCapabilities } from '../../../common/protocol';
import type { AuthSessions } from '../auth/AuthSessions';
import type { Logger } from '../logger';
import type { CallCenter } from '../sessions/CallCenter';
import type { CallControl } from '../sessions/control';
import type { Store } from '../store';
import { RateLimiter } from './RateLimiter';
import type { AckObserver } from './respond';

/** What every namespace's handlers share. */
export interface SignalingContext {
  /** What happens in the call centre, to deliver to the sockets concerned. */
  calls: Pick<CallCenter, 'on'>;
  /** Asks call control to act; it may run on another node. */
  control: CallControl;
  auth: AuthSessions;
  store: Store;
  log: Logger;
  clock: () => number;
  /** Call requests per caller address. */
  callLimiter: RateLimiter;
  /** Chat messages and real-time text updates per participant. */
  textLimiter: RateLimiter;
  /** This node is shutting down: it starts nothing new (no call requests). */
  draining: () => boolean;
  /** Behind one reverse proxy: a caller's address is X-Forwarded-For's last hop (as for HTTP). */
  trustProxy: boolean;
  /** Told of every ack sent (the metrics' signalling latency). */
  onAck?: AckObserver;
  /**
   * What a call's router carries (every node makes routers with the same codecs): sent ahead with
   * offers, invitations and a video caller's place in line. A page still checks them at the join.
   */
  mediaCapabilities: RouterRtpCapabilities;
}

export function createContext(
  deps: Omit<SignalingContext, 'callLimiter' | 'textLimiter'>,
  callRequestsPerMinute: number,
): SignalingContext {
  return {
    ...deps,
    // Call requests per address: bursts up to half the minute's allowance.
    callLimiter: new RateLimiter(
      Math.max(1, Math.ceil(callRequestsPerMinute / 2)),
      callRequestsPerMinute / 60_000,
      deps.clock,
    ),
    // Real-time text sends a draft per keystroke burst: 20 a second, bursts of 40.
    textLimiter: new RateLimiter(40, 20 / 1000, deps.clock),
  };
}
