import { z } from 'zod';
import { isErrorCode, RelayError } from '../../../common/errors';
import type { Logger } from '../logger';
import type { CallControl, ControlOp, ControlOps } from '../sessions/control';
import type { Bus, Unsubscribe } from './Bus';
import { NodeUnreachableError, RemoteError, RequestTimeoutError } from './errors';
import type { Lease } from './Lease';

/** The bus channel on which the leader serves call control. */
export const CONTROL_CHANNEL = 'control';

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
    if (this.deps.leading()) return this.deps.local.call(op, ...args);
    const { holder } = await this.deps.lease.current();
    if (!holder) throw new RelayError('timeout', 'the call centre is choosing its leader; please try again');
    // This node holds the lease but is still taking over (catching up, reading the desks).
    if (holder.nodeId === this.deps.bus.nodeId)
      throw new RelayError('timeout', 'the call centre is taking over; please try again');
    try {
      const answer = await this.deps.bus.request(
        holder.nodeId,
        CONTROL_CHANNEL,
        { op, args },
        this.deps.timeoutMs,
      );
      return answer as Awaited<ReturnType<ControlOps[K]>>;
    } catch (err) {
      throw this.#asRelayError(err, op);
    }
  }

  /** Serves the other nodes' forwarded operations (only answered while this node leads). */
  serve(): Promise<Unsubscribe> {
    return this.deps.bus.handle(CONTROL_CHANNEL, async (payload) => {
      const request = ControlRequest.safeParse(payload);
      if (!request.success || !this.deps.ops.has(request.data.op)) {
        throw new RelayError('invalid-payload', 'not a call control request');
      }
      if (!this.deps.leading())
        throw new RelayError('timeout', 'this node no longer leads; please try again');
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
