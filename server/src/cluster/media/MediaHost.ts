import { setTimeout as sleep } from 'node:timers/promises';
import { RelayError } from '../../../../common/errors';
import type { Logger } from '../../logger';
import { CallMedia, type WorkerPool } from '../../media';
import type { Bus, Unsubscribe } from '../Bus';
import { HOST_PING_CHANNEL } from './HostWatch';
import { MEDIA_CHANNEL, MEDIA_EVENTS, MediaRequest, mediaEventsChannel, type MediaOp } from './protocol';

export interface MediaHostLoad {
  routers: number;
  consumers: number;
}

/**
 * This node's share of the cluster's media: the calls whose routers live on its workers, served to
 * whichever node controls them (over the bus) and to this node itself (directly). What happens in
 * each call is published on its own channel, so whoever controls the call next can listen too.
 */
export class MediaHost {
  readonly #calls = new Map<string, CallMedia>();
  readonly #opening = new Map<string, Promise<CallMedia>>();
  #unserve: Unsubscribe | null = null;

  constructor(private readonly deps: { bus: Bus; pool: WorkerPool; log: Logger }) {}

  get nodeId(): string {
    return this.deps.bus.nodeId;
  }

  async serve(): Promise<void> {
    const unserveMedia = await this.deps.bus.handle(MEDIA_CHANNEL, (payload) => this.#answer(payload));
    // Controllers of the calls here ask now and then whether this node is still alive (HostWatch).
    const unservePing = await this.deps.bus.handle(HOST_PING_CHANNEL, () => ({ routers: this.#calls.size }));
    this.#unserve = async () => {
      await unserveMedia();
      await unservePing();
    };
  }

  /**
   * A new call's media on this node's workers. Asked again for the same call (a retry after a slow
   * answer), it gives the same router rather than a second one.
   */
  open(callId: string): Promise<CallMedia> {
    const existing = this.#calls.get(callId);
    if (existing && !existing.closed) return Promise.resolve(existing);
    const pending = this.#opening.get(callId);
    if (pending) return pending;
    const opening = this.#create(callId).finally(() => this.#opening.delete(callId));
    this.#opening.set(callId, opening);
    return opening;
  }

  async #create(callId: string): Promise<CallMedia> {
    const media = await CallMedia.create(this.deps.pool, callId, this.deps.log, this.nodeId);
    this.#calls.set(callId, media);
    for (const event of MEDIA_EVENTS) {
      media.on(event, (...args: unknown[]) => {
        this.deps.bus
          .publish(mediaEventsChannel(callId), { event, args })
          .catch((err: unknown) =>
            this.deps.log.warn({ err, callId, event }, 'could not tell a media event'),
          );
      });
    }
    media.once('closed', () => this.#calls.delete(callId));
    return media;
  }

  /** The call's router if it is (still) here. */
  existing(callId: string): CallMedia | undefined {
    const media = this.#calls.get(callId);
    return media && !media.closed ? media : undefined;
  }

  load(): MediaHostLoad {
    let consumers = 0;
    for (const media of this.#calls.values()) consumers += media.consumerCount;
    return { routers: this.deps.pool.routerCount, consumers };
  }

  async #answer(payload: unknown): Promise<unknown> {
    const request = MediaRequest.safeParse(payload);
    if (!request.success) throw new RelayError('invalid-payload', 'not a media request');
    const { callId, op, args } = request.data;
    if (op === 'open') {
      const media = await this.open(callId);
      return { rtpCapabilities: media.rtpCapabilities };
    }
    if (op === 'attach') {
      // A new leader taking the call over: the router as it is, never a new one.
      const media = this.existing(callId);
      if (!media) throw new RelayError('not-found', 'this call has no media here any more');
      return { rtpCapabilities: media.rtpCapabilities };
    }
    const media = this.#calls.get(callId);
    if (!media) {
      // An order for a call that is gone changes nothing; a request is told the call has ended.
      if (isOrder(op)) return null;
      throw new RelayError('not-found', 'this call has no media here any more');
    }
    const method = media[op] as (...a: unknown[]) => unknown;
    const value = await method.apply(media, args);
    return value === undefined ? null : value;
  }

  /**
   * Stops serving. A call still hosted here is told `host-stopped` first: its controller moves it
   * to another node (FailoverCallMedia), so its participants set media up again there. With
   * `overlapMs` (a planned stop), the routers here go on forwarding meanwhile, until every page has
   * closed its transports here (it has moved) or the overlap is over, so a drain cuts no one's video.
   */
  async close(overlapMs = 0): Promise<void> {
    const unserve = this.#unserve;
    this.#unserve = null;
    await unserve?.();
    const live = [...this.#calls].filter(([, media]) => !media.closed);
    for (const [callId] of live) {
      await this.deps.bus
        .publish(mediaEventsChannel(callId), { event: 'closed', args: ['host-stopped'] })
        .catch((err: unknown) =>
          this.deps.log.warn({ err, callId }, 'could not tell that a call’s host stopped'),
        );
    }
    const stillUsed = () => live.some(([, media]) => !media.closed && media.openTransports > 0);
    const until = Date.now() + overlapMs;
    while (Date.now() < until && stillUsed()) await sleep(OVERLAP_CHECK_MS);
    for (const [, media] of live) media.close();
    this.#calls.clear();
  }
}

/** How often a stopping host looks whether the pages of its calls have moved. */
const OVERLAP_CHECK_MS = 100;

/** Operations that change membership and return nothing: sent without waiting for an answer. */
export function isOrder(op: MediaOp): boolean {
  return op === 'addParticipant' || op === 'removeParticipant' || op === 'resetParticipant' || op === 'close';
}
