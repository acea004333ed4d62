import { RelayError } from '../../../../common/errors';
import type { Logger } from '../../logger';
import type { CallMediaEvents, CallMediaPort, Direction, MediaSource } from '../../media';
import type { types } from 'mediasoup';
import { TypedEmitter } from '../../util/TypedEmitter';
import { MEDIA_EVENTS } from './protocol';

export interface FailoverDeps {
  /** A new router for the call on another node than those in `avoid` (this node's, if no other). */
  reopen: (avoid: ReadonlySet<string>) => Promise<CallMediaPort>;
  /** Calls `onLost` if the host stops answering; returns the way to stop watching. */
  watch: (hostNodeId: string, onLost: () => void) => () => void;
  /** Whether this node controls calls now: only the leader moves a call (a frozen one waits). */
  controlling: () => boolean;
  log: Logger;
}

type Forwarded = Exclude<keyof CallMediaEvents, 'closed'>;

/**
 * A call's media that outlives the node hosting it. When the host is lost (killed, frozen), shut
 * down with the call still going, or has no worker left for it, the call gets a new router on
 * another node, its participants are added there, and `moved` tells every browser to set media up
 * again: the path a dead worker already takes, one level up. Requests made during the move wait
 * for it; membership orders given during it are applied to the new router.
 */
export class FailoverCallMedia extends TypedEmitter<CallMediaEvents> implements CallMediaPort {
  #current: CallMediaPort;
  #detach: () => void = () => {};
  #moving: Promise<void> | null = null;
  #closed = false;
  readonly #participants = new Set<string>();
  /** Every host the call was on: never moved back to one of them. */
  readonly #left = new Set<string>();

  /** `participants`: those `first` already has (a call taken over from another leader). */
  constructor(
    first: CallMediaPort,
    private readonly deps: FailoverDeps,
    participants: Iterable<string> = [],
  ) {
    super((event, error) => deps.log.error({ event, err: error }, 'failover media listener failed'));
    this.#current = first;
    for (const p of participants) this.#participants.add(p);
    this.#attach(first);
  }

  get hostNodeId(): string {
    return this.#current.hostNodeId;
  }

  get callId(): string {
    return this.#current.callId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#current.rtpCapabilities;
  }

  addParticipant(participantId: string): void {
    this.#participants.add(participantId);
    if (!this.#moving) this.#current.addParticipant(participantId);
  }

  removeParticipant(participantId: string): void {
    this.#participants.delete(participantId);
    if (!this.#moving) this.#current.removeParticipant(participantId);
  }

  resetParticipant(participantId: string): void {
    // A new router has nothing to reset.
    if (!this.#moving) this.#current.resetParticipant(participantId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#moving) return; // the move closes what it opened
    this.#current.close();
  }

  release(): void {
    this.#closed = true;
    this.#detach();
    this.#current.release();
  }

  async createTransport(participantId: string, direction: Direction) {
    return (await this.#ready()).createTransport(participantId, direction);
  }

  async connectTransport(participantId: string, transportId: string, dtlsParameters: types.DtlsParameters) {
    return (await this.#ready()).connectTransport(participantId, transportId, dtlsParameters);
  }

  async produce(
    participantId: string,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ) {
    return (await this.#ready()).produce(participantId, transportId, kind, rtpParameters, source);
  }

  async producersFor(participantId: string) {
    return (await this.#ready()).producersFor(participantId);
  }

  async consume(
    participantId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ) {
    return (await this.#ready()).consume(participantId, transportId, producerId, rtpCapabilities);
  }

  async resumeConsumer(participantId: string, consumerId: string) {
    return (await this.#ready()).resumeConsumer(participantId, consumerId);
  }

  async setProducerPaused(participantId: string, producerId: string, paused: boolean) {
    return (await this.#ready()).setProducerPaused(participantId, producerId, paused);
  }

  async #ready(): Promise<CallMediaPort> {
    if (this.#moving) await this.#moving;
    if (this.#closed) throw new RelayError('invalid-state', 'the call has ended');
    return this.#current;
  }

  #attach(media: CallMediaPort): void {
    const forward = (event: Forwarded) => {
      const listener = (...args: unknown[]) =>
        this.safeEmit(event, ...(args as CallMediaEvents[typeof event]));
      media.on(event, listener as never);
      return () => media.off(event, listener as never);
    };
    const offs = MEDIA_EVENTS.filter((e): e is Forwarded => e !== 'closed').map(forward);
    const onClosed = (reason: CallMediaEvents['closed'][0]) => {
      if (reason === 'ended') {
        this.#closed = true;
        this.safeEmit('closed', 'ended');
      } else this.#move(`its host ${reason === 'host-stopped' ? 'stopped' : 'has no worker left'}`);
    };
    media.on('closed', onClosed);
    const unwatch = this.deps.watch(media.hostNodeId, () => this.#move('its host is gone'));
    this.#detach = () => {
      for (const off of offs) off();
      media.off('closed', onClosed);
      unwatch();
    };
  }

  #move(why: string): void {
    if (this.#closed || this.#moving) return;
    if (!this.deps.controlling()) {
      this.deps.log.warn({ host: this.hostNodeId, why }, 'not leading: the leader moves the call');
      return;
    }
    const old = this.#current;
    this.#detach();
    this.#left.add(old.hostNodeId);
    this.deps.log.warn({ from: old.hostNodeId, why }, 'moving a call to another media host');
    // Best effort: a host that is only slow frees the router it still has.
    old.close();
    this.#moving = (async () => {
      try {
        const next = await this.deps.reopen(this.#left);
        this.#current = next;
        this.#attach(next);
        if (this.#closed) {
          next.close();
          return;
        }
        for (const p of this.#participants) next.addParticipant(p);
        this.deps.log.info({ from: old.hostNodeId, to: next.hostNodeId }, 'call moved to another media host');
        this.safeEmit('moved');
      } catch (err) {
        this.deps.log.error({ err, from: old.hostNodeId }, 'no node could take the call: it ends');
        this.#closed = true;
        this.safeEmit('closed', 'worker-died');
      } finally {
        this.#moving = null;
      }
    })();
  }
}
