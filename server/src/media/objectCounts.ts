import type { types } from 'mediasoup';

/** Live media objects on a pool's routers (its routers it counts itself). */
export interface MediaObjectCounts {
  transports: number;
  producers: number;
  consumers: number;
}

/**
 * Keeps `counts` in step with a router's transports, producers and consumers from mediasoup's
 * observer events: mediasoup lists none of them, and every one of them emits `close` however it
 * ends (closed by us, by its router, or by its worker dying).
 */
export function countMediaObjects(router: types.Router, counts: MediaObjectCounts): void {
  router.observer.on('newtransport', (transport) => {
    counts.transports += 1;
    transport.observer.once('close', () => (counts.transports -= 1));
    transport.observer.on('newproducer', (producer) => {
      counts.producers += 1;
      producer.observer.once('close', () => (counts.producers -= 1));
    });
    transport.observer.on('newconsumer', (consumer) => {
      counts.consumers += 1;
      consumer.observer.once('close', () => (counts.consumers -= 1));
    });
  });
}
