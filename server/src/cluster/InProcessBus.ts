import type { Scheduler } from '../util/scheduler';
import type { BusTransport } from './Bus';
import { MessageBus, type MessageBusOptions } from './MessageBus';

/**
 * The nodes of one process (the default: a single node) and of tests: a topic → listeners table.
 * Delivery is asynchronous (a microtask), as over a network, so no handler runs inside a send.
 */
export class InProcessBusNetwork {
  readonly #topics = new Map<string, Set<(text: string) => void>>();

  /** A bus for node `nodeId`, listening for its requests. */
  async connect(nodeId: string, scheduler: Scheduler, options?: MessageBusOptions): Promise<MessageBus> {
    const bus = new MessageBus(nodeId, this.#transport(), scheduler, options);
    await bus.connect();
    return bus;
  }

  #transport(): BusTransport {
    const mine = new Map<string, (text: string) => void>();
    const topics = this.#topics;
    return {
      async send(topic, text) {
        const listeners = [...(topics.get(topic) ?? [])];
        queueMicrotask(() => listeners.forEach((deliver) => deliver(text)));
        return listeners.length;
      },
      async listen(topic, deliver) {
        if (mine.has(topic)) return;
        mine.set(topic, deliver);
        const set = topics.get(topic) ?? new Set();
        set.add(deliver);
        topics.set(topic, set);
      },
      async unlisten(topic) {
        const deliver = mine.get(topic);
        if (deliver === undefined) return;
        mine.delete(topic);
        topics.get(topic)?.delete(deliver);
      },
      async close() {
        for (const topic of [...mine.keys()]) await this.unlisten(topic);
      },
    };
  }
}
