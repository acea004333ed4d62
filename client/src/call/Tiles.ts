import type { Role } from '../../../common/protocol';
import { t } from '../i18n';
import { h } from '../ui/dom';

/** How long a new track may stay without media before it replaces the one playing anyway. */
const SWAP_WAIT_MS = 5000;

/** The element plays a live track now. */
function playing(el: HTMLMediaElement): boolean {
  const stream = el.srcObject as MediaStream | null;
  return stream?.getTracks().some((tr) => tr.readyState === 'live') ?? false;
}

interface Tile {
  element: HTMLElement;
  video: HTMLVideoElement;
  audio: HTMLAudioElement;
  status: HTMLElement;
  pin: HTMLButtonElement;
  role: Role;
  connected: boolean;
}

/**
 * One labelled tile per other participant (caller, agent, interpreter). Any tile can be pinned:
 * a pinned tile spans the width, so the signer or the interpreter can be seen large.
 */
export class Tiles {
  readonly element = h('div', { class: 'tiles', id: 'remote-tiles' });
  readonly #tiles = new Map<string, Tile>();
  /** The track each element is to show next, while it waits for media. */
  readonly #pending = new WeakMap<HTMLMediaElement, MediaStreamTrack>();
  #pinned: string | null = null;

  ensure(participantId: string, role: Role): Tile {
    const existing = this.#tiles.get(participantId);
    if (existing) return existing;
    const roleName = t(`call.roles.${role}`);
    const video = h('video', {
      autoplay: true,
      playsinline: true,
      'data-participant': participantId,
      'data-role': role,
    });
    video.setAttribute('aria-label', t('call.remoteVideo', { role: roleName }));
    const audio = h('audio', { autoplay: true, 'data-participant': participantId });
    const status = h('span', { class: 'tile-status' });
    const pin = h(
      'button',
      { type: 'button', class: 'pin', 'aria-pressed': 'false' },
      t('call.pin', { role: roleName }),
    );
    pin.addEventListener('click', () => this.togglePin(participantId));
    const element = h(
      'figure',
      { class: 'tile', 'data-role': role, 'data-participant': participantId },
      video,
      audio,
      h('figcaption', {}, h('strong', {}, roleName), ' ', status, ' ', pin),
    );
    this.element.append(element);
    const tile = { element, video, audio, status, pin, role, connected: true };
    this.#tiles.set(participantId, tile);
    return tile;
  }

  attach(participantId: string, role: Role, kind: 'audio' | 'video', track: MediaStreamTrack): void {
    const tile = this.ensure(participantId, role);
    const target = kind === 'video' ? tile.video : tile.audio;
    const show = () => {
      if (this.#pending.get(target) !== track) return; // a newer track came meanwhile
      this.#pending.delete(target);
      target.srcObject = new MediaStream([track]);
      void target.play().catch(() => undefined);
    };
    this.#pending.set(target, track);
    // A media restart (the call moving to another host): the track playing goes on until the new
    // one has media (a remote track unmutes when its first packets arrive), so the picture never
    // blanks while the new connection is set up. Capped: a new track that stays muted shows anyway.
    if (playing(target) && track.muted) {
      const cap = window.setTimeout(show, SWAP_WAIT_MS);
      track.addEventListener('unmute', () => (window.clearTimeout(cap), show()), { once: true });
    } else show();
  }

  /** Whether any tile still shows one of these tracks (an old connection not yet replaced). */
  shows(tracks: ReadonlySet<MediaStreamTrack>): boolean {
    for (const tile of this.#tiles.values())
      for (const el of [tile.video, tile.audio])
        if ((el.srcObject as MediaStream | null)?.getTracks().some((tr) => tracks.has(tr))) return true;
    return false;
  }

  /** A track ended; a tile whose participant has gone and shows nothing more is taken away. */
  trackEnded(participantId: string): void {
    const tile = this.#tiles.get(participantId);
    if (!tile) return;
    for (const el of [tile.video, tile.audio]) {
      const stream = el.srcObject as MediaStream | null;
      if (stream && stream.getTracks().every((tr) => tr.readyState === 'ended')) el.srcObject = null;
    }
    if (!tile.connected && !tile.video.srcObject && !tile.audio.srcObject) this.remove(participantId);
  }

  setConnected(participantId: string, connected: boolean): void {
    const tile = this.#tiles.get(participantId);
    if (!tile) return;
    tile.connected = connected;
    tile.status.textContent = connected ? '' : t('call.reconnecting');
    tile.element.classList.toggle('disconnected', !connected);
  }

  remove(participantId: string): void {
    this.#tiles.get(participantId)?.element.remove();
    this.#tiles.delete(participantId);
    if (this.#pinned === participantId) this.#pinned = null;
  }

  togglePin(participantId: string): void {
    this.#pinned = this.#pinned === participantId ? null : participantId;
    for (const [id, tile] of this.#tiles) {
      const pinned = id === this.#pinned;
      tile.element.classList.toggle('pinned', pinned);
      tile.pin.setAttribute('aria-pressed', String(pinned));
    }
    // The pinned tile goes first, so it is also first for keyboard and screen-reader users.
    const pinned = this.#pinned ? this.#tiles.get(this.#pinned) : undefined;
    if (pinned) this.element.prepend(pinned.element);
  }

  clear(): void {
    this.element.replaceChildren();
    this.#tiles.clear();
    this.#pinned = null;
  }
}
