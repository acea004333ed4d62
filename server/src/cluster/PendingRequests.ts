import type { Scheduler, Timer } from '../util/scheduler';
import { RemoteError, RequestTimeoutError } from './errors';
import type { ResponseMessage } from './busMessages';

interface Waiting {
  nodeId: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: Timer;
}

/** Requests sent and not yet answered, each with its timeout. Late or unknown answers are ignored. */
export class PendingRequests {
  readonly #waiting = new Map<string, Waiting>();

  constructor(private readonly scheduler: Scheduler) {}

  get size(): number {
    return this.#waiting.size;
  }

  wait(id: string, nodeId: string, channel: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = this.scheduler.after(timeoutMs, () => {
        this.#waiting.delete(id);
        reject(new RequestTimeoutError(nodeId, channel, timeoutMs));
      });
      this.#waiting.set(id, { nodeId, resolve, reject, timer });
    });
  }

  /** True when someone was waiting for it (from the node it was sent to). */
  settle(response: ResponseMessage): boolean {
    const waiting = this.#waiting.get(response.id);
    if (waiting === undefined || waiting.nodeId !== response.from) return false;
    this.#waiting.delete(response.id);
    waiting.timer.cancel();
    if (response.ok) waiting.resolve(response.value);
    else waiting.reject(new RemoteError(response.from, response.code, response.message));
    return true;
  }

  fail(id: string, error: Error): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    this.#waiting.delete(id);
    waiting.timer.cancel();
    waiting.reject(error);
  }

  failAll(error: Error): void {
    for (const id of [...this.#waiting.keys()]) this.fail(id, error);
  }
}
