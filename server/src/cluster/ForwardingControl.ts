import { z } from 'zod';
import { isErrorCode, RelayError } from '../../../common/errors';
import type { Logger } from '../logger';
import type { CallControl, ControlOp, ControlOps } from '../sessions/control';
import type { Bus, Unsubscribe } from './Bus';
import { NodeUnreachableError, RemoteError, RequestTimeoutError } from './errors';
import type { Lease } from './Lease';
import type { Scheduler } from '../util/scheduler';

/** The bus channel on which the leader serves call control. */
export const CONTROL_CHANNEL = 'control';
/** A node asked that does not lead answers this code (not a client's: it never leaves the cluster). */
const NOT_LEADING = 'not-leading';
/** How often a forwarded operation that found no leader is asked again. */
const RETRY_EVERY_MS = 250;

/** Nobody acted on the request: it may be sent again. */
class NotDelivered extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

const ControlRequest = z.object({ op: z.string().min(1).max(64), args: z.array(z.unknown()).max(16) });

export interface ForwardingControlDeps {
  /** Call control in this process: used when this node leads, and to serve the others. */
  local: CallControl;
  /** The names `local` answers to, so a request naming anything else is refused. */
  ops: ReadonlySet<string>;
  bus: Bus;
  lease: Pick<Lease, 'current'>;
  /** Whether this node holds the lease right now (by its own clock). */
  leading: () => boolean;
  timeoutMs: number;
  log: Logger;
  scheduler: Scheduler;
  /**
   * How long an operation that found no leader to take it keeps being asked again (default 0):
   * long enough to span a change of leader, shorter than a client's own timeout.
   */
  retryForMs?: number;
}

/**
 * Call control for a cluster: one node (the lobby's leader) runs it; every other node forwards the
 * same operation and arguments to it over the bus and answers its client with the result. A
 * request that times out, or that finds no leader, answers `timeout` ("try again"), never a hang.
 */
export class ForwardingControl implements CallControl {
  constructor(private readonly deps: ForwardingControlDeps) {}

  async call<K extends ControlOp>(
    op: K,
    ...args: Parameters<ControlOps[K]>
  ): Promise<Awaited<ReturnType<ControlOps[K]>>> {
    const { scheduler, retryForMs = 0 } = this.deps;
    const deadline = scheduler.now() + retryForMs;
    for (;;) {
      if (this.deps.leading()) return this.deps.local.call(op, ...args);
      try {
        return (await this.#forward(op, args)) as Awaited<ReturnType<ControlOps[K]>>;
      } catch (err) {
        // Across a change of leader: asked again until someone leads, as long as nothing can
        // have been done (nobody had it, or the node asked did not lead). An answer that did not
        // come in time may have been acted on: never asked twice.
        if (!(err instanceof NotDelivered) || scheduler.now() >= deadline) throw this.#asRelayError(err, op);
        await new Promise<void>((resolve) => scheduler.after(RETRY_EVERY_MS, resolve));
      }
    }
  }

  async #forward(op: ControlOp, args: unknown[]): Promise<unknown> {
    const { holder } = await this.deps.lease.current();
    if (!holder) throw new NotDelivered('the call centre is choosing its leader; please try again');
    // This node holds the lease but is still taking over (catching up, reading the desks).
    if (holder.nodeId === this.deps.bus.nodeId)
      throw new NotDelivered('the call centre is taking over; please try again');
    try {
      return await this.deps.bus.request(holder.nodeId, CONTROL_CHANNEL, { op, args }, this.deps.timeoutMs);
    } catch (err) {
      const refusedUnread =
        err instanceof NodeUnreachableError ||
        (err instanceof RemoteError && (err.remoteCode === 'no-handler' || err.remoteCode === NOT_LEADING));
      if (refusedUnread)
        throw new NotDelivered('the call centre is changing its leader; please try again', err);
      throw err;
    }
  }

  /** Serves the other nodes' forwarded operations (only answered while this node leads). */
  serve(): Promise<Unsubscribe> {
    return this.deps.bus.handle(CONTROL_CHANNEL, async (payload) => {
      const request = ControlRequest.safeParse(payload);
      if (!request.success || !this.deps.ops.has(request.data.op)) {
        throw new RelayError('invalid-payload', 'not a call control request');
      }
      // Refused before anything is done: the asking node may ask the next leader.
      if (!this.deps.leading())
        throw Object.assign(new Error('this node does not lead'), { code: NOT_LEADING });
      const { op, args } = request.data;
      const value = await this.deps.local.call(
        op as ControlOp,
        ...(args as Parameters<ControlOps[ControlOp]>),
      );
      // JSON has no undefined: an operation that returns nothing answers null.
      return value === undefined ? null : value;
    });
  }

  #asRelayError(err: unknown, op: string): unknown {
    if (err instanceof NotDelivered) {
      this.deps.log.warn({ err: err.cause ?? err, op }, 'no leader took the forwarded call control');
      return new RelayError('timeout', err.message, { cause: err });
    }
    if (err instanceof RemoteError && isErrorCode(err.remoteCode)) {
      // The leader's own answer (a refusal by the lobby, a bad state...) travels with its code.
      return new RelayError(err.remoteCode, err.message);
    }
    // No answer, or a node that no longer serves call control (it stepped down): ask again.
    const gone = err instanceof RemoteError && err.remoteCode === 'no-handler';
    if (gone || err instanceof RequestTimeoutError || err instanceof NodeUnreachableError) {
      this.deps.log.warn({ err, op }, 'forwarded call control did not answer');
      return new RelayError('timeout', 'the call centre did not answer in time; please try again', {
        cause: err,
      });
    }
    return err;
  }
}
