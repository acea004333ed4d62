import type { Redis } from 'ioredis';
import type { Scheduler } from '../util/scheduler';
import type { BusTransport } from './Bus';
import { MessageBus, type MessageBusOptions } from './MessageBus';

export const DEFAULT_BUS_PREFIX = 'relay:bus:';

/**
 * Redis pub/sub as a bus transport: PUBLISH on the shared client (its reply counts the listeners,
 * so a request to a node nobody serves fails at once), SUBSCRIBE on a connection of its own.
 */
export function redisBusTransport(client: Redis, prefix: string = DEFAULT_BUS_PREFIX): BusTransport {
  const subscriber = client.duplicate({ connectionName: 'bus-subscriber' });
  subscriber.on('error', () => {}); // reconnects (and resubscribes) by itself
  const deliverers = new Map<string, (text: string) => void>();
  subscriber.on('message', (channel: string, text: string) => {
    deliverers.get(channel)?.(text);
  });
  return {
    async send(topic, text) {
      return client.publish(prefix + topic, text);
    },
    async listen(topic, deliver) {
      if (deliverers.has(prefix + topic)) return;
      deliverers.set(prefix + topic, deliver);
      await subscriber.subscribe(prefix + topic);
    },
    async unlisten(topic) {
      if (!deliverers.delete(prefix + topic)) return;
      await subscriber.unsubscribe(prefix + topic);
    },
    async close() {
      deliverers.clear();
      subscriber.disconnect();
    },
  };
}

/** A bus for node `nodeId` over Redis, listening for its requests. The caller owns `client`. */
export async function connectRedisBus(
  client: Redis,
  nodeId: string,
  scheduler: Scheduler,
  options: MessageBusOptions & { prefix?: string } = {},
): Promise<MessageBus> {
  const bus = new MessageBus(nodeId, redisBusTransport(client, options.prefix), scheduler, options);
  await bus.connect();
  return bus;
}
