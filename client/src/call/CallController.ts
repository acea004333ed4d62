import type {
  EndReason,
  JoinedSession,
  ProducerView,
  Role,
  SessionServerEvents,
} from '../../../common/protocol';
import { t } from '../i18n';
import { MediaClient, type RemoteTrack } from '../media/MediaClient';
import { RequestError, type Signaling } from '../signaling';
import type { Announcer } from '../ui/announcer';
import { h } from '../ui/dom';
import { ChatPanel } from './ChatPanel';
import { exposeStats } from './stats';

interface Tile {
  video: HTMLVideoElement;
  audio: HTMLAudioElement;
}

/**
 * The in-call screen for any role: joins the session with its token, sends the local camera and
 * microphone, shows each other participant in a labelled tile, and offers mute, camera and hang-up.
 */
export class CallController {
  readonly #tiles = new Map<string, Tile>();
  readonly #trackOwner = new Map<string, string>();
  #media: MediaClient | null = null;
  #ended = false;
  readonly #unsubscribe: (() => void)[] = [];
  #remote: HTMLElement = document.createElement('div');
  #chat: ChatPanel | null = null;
  #participantId = '';

  constructor(
    private readonly signaling: Signaling<never>,
    private readonly root: HTMLElement,
    private readonly announcer: Announcer,
    private readonly onEnded: (reason: EndReason) => void,
  ) {}

  async start(token: string, stream: MediaStream | null): Promise<void> {
    this.#renderShell(stream);
    this.#listen();
    const joined: JoinedSession & { producers: ProducerView[] } = await this.signaling.request(
      'session:join',
      { token },
    );
    this.#participantId = joined.participantId;
    for (const m of joined.chat) this.#chat?.showMessage(m, m.participantId === joined.participantId);
    this.#media = new MediaClient(this.signaling, {
      onTrack: (track) => this.#attach(track),
      onTrackEnded: (producerId) => this.#detach(producerId),
    });
    for (const p of joined.participants) {
      if (p.participantId !== joined.participantId) this.#tile(p.participantId, p.role);
    }
    await this.#media.start(joined, stream);
    exposeStats(this.#media);
    this.announcer.say(t('call.inCall'), true);
  }

  #listen(): void {
    // The socket is typed per namespace; these events are the same in every one.
    const socket = this.signaling.socket as unknown as {
      on<K extends keyof SessionServerEvents>(e: K, f: SessionServerEvents[K]): void;
      off<K extends keyof SessionServerEvents>(e: K, f: SessionServerEvents[K]): void;
    };
    const on = <K extends keyof SessionServerEvents>(event: K, handler: SessionServerEvents[K]) => {
      socket.on(event, handler);
      this.#unsubscribe.push(() => socket.off(event, handler));
    };
    on('session:producer-added', (p) => {
      void this.#media?.consume(p).catch((err: unknown) => console.error('consume failed', err));
    });
    on('session:producer-closed', ({ producerId }) => this.#media?.producerClosed(producerId));
    on('session:participant-joined', (p) => {
      this.#media?.rememberRole(p.participantId, p.role);
      this.#tile(p.participantId, p.role);
      this.announcer.say(t('call.otherBack'), true);
    });
    on('session:participant-left', () => this.announcer.say(t('call.otherLeft'), true));
    on('session:ended', ({ reason }) => this.#finish(reason));
    on('chat:message', (m) => this.#chat?.showMessage(m, m.participantId === this.#participantId));
    on('rtt:draft', (d) => this.#chat?.showDraft(d));
  }

  #renderShell(stream: MediaStream | null): void {
    this.#remote = h('div', { class: 'tiles', id: 'remote-tiles' });
    const self = h('video', {
      id: 'self-video',
      class: 'self-video',
      autoplay: true,
      playsinline: true,
      muted: true,
    });
    self.setAttribute('aria-label', t('call.selfVideo'));
    self.muted = true;
    if (stream) self.srcObject = stream;
    const mute = h('button', { type: 'button', id: 'toggle-mic', 'aria-pressed': 'false' }, t('call.mute'));
    const camera = h(
      'button',
      { type: 'button', id: 'toggle-camera', 'aria-pressed': 'false' },
      t('call.cameraOff'),
    );
    const hangup = h('button', { type: 'button', id: 'hang-up', class: 'danger' }, t('call.hangUp'));
    mute.addEventListener('click', () => void this.#toggle('audio', mute));
    camera.addEventListener('click', () => void this.#toggle('video', camera));
    hangup.addEventListener('click', () => void this.hangUp());
    const controls = h(
      'div',
      { class: 'call-controls', role: 'group', 'aria-label': t('call.region') },
      mute,
      camera,
      hangup,
    );
    this.#chat = new ChatPanel(this.signaling, (err) => console.error('chat failed', err));
    const media = h(
      'div',
      { class: 'call-media' },
      this.#remote,
      h('div', { class: 'self' }, self),
      controls,
    );
    this.root.replaceChildren(media, this.#chat.element);
  }

  async #toggle(kind: 'audio' | 'video', button: HTMLButtonElement): Promise<void> {
    if (!this.#media) return;
    const paused = !this.#media.isPaused(kind);
    await this.#media.setPaused(kind, paused);
    button.setAttribute('aria-pressed', String(paused));
    if (kind === 'audio') button.textContent = t(paused ? 'call.unmute' : 'call.mute');
    else button.textContent = t(paused ? 'call.cameraOn' : 'call.cameraOff');
  }

  #tile(participantId: string, role: Role): Tile {
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
    this.#remote.append(
      h('figure', { class: 'tile', 'data-role': role }, video, audio, h('figcaption', {}, roleName)),
    );
    const tile = { video, audio };
    this.#tiles.set(participantId, tile);
    return tile;
  }

  #attach(remote: RemoteTrack): void {
    const tile = this.#tile(remote.participantId, remote.role ?? 'caller');
    const target = remote.kind === 'video' ? tile.video : tile.audio;
    target.srcObject = new MediaStream([remote.track]);
    this.#trackOwner.set(remote.consumer.producerId, remote.participantId);
    void target.play().catch(() => undefined);
  }

  #detach(producerId: string): void {
    const owner = this.#trackOwner.get(producerId);
    this.#trackOwner.delete(producerId);
    const tile = owner ? this.#tiles.get(owner) : undefined;
    if (!tile) return;
    for (const el of [tile.video, tile.audio]) {
      const stream = el.srcObject as MediaStream | null;
      if (stream && stream.getTracks().every((tr) => tr.readyState === 'ended')) el.srcObject = null;
    }
  }

  async hangUp(): Promise<void> {
    if (this.#ended) return;
    try {
      await this.signaling.request('session:hangup', {});
    } catch (err) {
      // The server may already have ended the call; either way it is over here.
      if (!(err instanceof RequestError && err.code === 'call-ended')) console.error('hang-up failed', err);
    }
    this.#finish('hangup');
  }

  #finish(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const off of this.#unsubscribe) off();
    this.#media?.close();
    this.#media = null;
    this.#chat = null;
    // Dropping the panel drops the conversation: nothing of it stays in the page after the call.
    this.root.replaceChildren();
    this.#tiles.clear();
    this.announcer.say(t(`call.endedBy.${reason}`), true);
    this.onEnded(reason);
  }
}
