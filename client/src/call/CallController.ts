import type {
  AgentServerEvents,
  CallerServerEvents,
  EndReason,
  InterpreterStatus,
  JoinedSession,
  ProducerView,
  Role,
  SessionServerEvents,
  VolunteerServerEvents,
} from '../../../common/protocol';
import { languageName, t } from '../i18n';
import { MediaClient, type RemoteTrack } from '../media/MediaClient';
import type { PreloadedDevice } from '../media/PreloadedDevice';
import { isRequestError, withRetry } from '../requestError';
import type { Signaling } from '../signaling';
import type { Announcer } from '../ui/announcer';
import { h } from '../ui/dom';
import { ChatPanel } from './ChatPanel';
import { exposeStats, outboundVideoStats } from './stats';
import { Tiles } from './Tiles';
import { mark } from '../timeline';

/** How long an old media connection is kept at most while a restart's new one comes up. */
const RETIRE_WITHIN_MS = 8000;

/** How many times a media restart that failed is tried again, and after how long. */
const RESTART_ATTEMPTS = 4;
const RESTART_AGAIN_MS = 1000;

type Joined = JoinedSession & { producers: ProducerView[] };

/** Any role's connection: the in-call events are the same in every namespace. */
type InCallSignaling = Signaling<CallerServerEvents | AgentServerEvents | VolunteerServerEvents>;

/** An in-call event with its handler, as one pair: the union keeps each event with its own handler. */
type Subscription = {
  [K in keyof SessionServerEvents]: [event: K, handler: SessionServerEvents[K]];
}[keyof SessionServerEvents];

/** Listens to one in-call event; returns what stops it. */
function listen<K extends keyof SessionServerEvents>(
  socket: InCallSignaling['socket'],
  event: K,
  handler: SessionServerEvents[K],
): () => void;
// Implemented over the pairs: socket.io's typings accept those, but not a handler for a generic K.
function listen(socket: InCallSignaling['socket'], ...[event, handler]: Subscription): () => void {
  socket.on(event, handler);
  return () => socket.off(event, handler);
}

/**
 * The in-call screen for any role: joins the session with its token, sends the local camera and
 * microphone (none in a text call), shows each other participant in a labelled tile that can be
 * pinned, carries the chat and real-time text, and offers mute, camera and hang-up.
 */
export class CallController {
  readonly #tiles = new Tiles();
  readonly #roles = new Map<string, Role>();
  /** Whether the caller came to this call at least once: a call they never came to owes no wrap-up. */
  #callerCame = false;
  readonly #producerOwner = new Map<string, string>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #interpreterStatus = h('p', { class: 'status', id: 'interpreter-status' });
  /**
   * Who dropped out or came back, in words and at once: a live region of its own (role=status), so
   * a screen reader says it and a deaf participant sees it, without waiting for a tile to go dark.
   */
  readonly #participantStatus = h('p', { class: 'status', id: 'participant-status', role: 'status' });
  /** What the camera actually sends, for the signer: frame rate matters more than resolution. */
  readonly #quality = h('p', { class: 'quality', id: 'send-quality' });
  #qualityTimer: number | undefined;
  #lowFrameRate = false;
  #media: MediaClient | null = null;
  #chat: ChatPanel | null = null;
  #participantId = '';
  #ended = false;
  #token = '';
  #joined: Joined | null = null;
  #stream: MediaStream | null = null;
  #restarting = false;
  /** Media connections that failed since media last connected: the second means no path at all. */
  #failures = 0;
  /** Said when no media path can be found; an alert, so screen readers read it at once. */
  readonly #mediaProblem = h('div', { class: 'media-problem', id: 'media-problem', role: 'alert' });
  readonly #interpreterListeners: ((status: InterpreterStatus) => void)[] = [];

  constructor(
    private readonly signaling: InCallSignaling,
    private readonly root: HTMLElement,
    private readonly announcer: Announcer,
    private readonly onEnded: (reason: EndReason) => void,
  ) {}

  /** What the page can add beside the controls (the agent's interpreter buttons). */
  readonly extraControls = h('div', { class: 'row', id: 'extra-controls' });

  /** Called with the call's interpreter status now and whenever it changes. */
  onInterpreterChange(listener: (status: InterpreterStatus) => void): void {
    this.#interpreterListeners.push(listener);
  }

  /**
   * `camera`: the stream, or its promise while the camera opens (the join does not wait for it).
   * `preloaded`: a Device loaded while the call rang (a media restart loads its own).
   */
  async start(
    token: string,
    camera: MediaStream | null | Promise<MediaStream | null>,
    preloaded: PreloadedDevice | null = null,
  ): Promise<Joined> {
    this.#listen();
    // Ready before joining: producers announced right after the join are queued, not lost.
    const media = this.#newMedia(preloaded);
    const joining = this.signaling.request('session:join', { token });
    // With a camera the call is a video call: its transports are asked for right behind the join
    // (one round trip fewer). Should the join say text, they stay unused until the call ends.
    // A camera still opening counts as one: should it fail, the send transport is never used.
    if (camera) void media.askTransports(true);
    const [joined, stream]: [Joined, MediaStream | null] = await Promise.all([joining, camera]);
    this.#token = token;
    this.#joined = joined;
    this.#stream = stream;
    this.#participantId = joined.participantId;
    const text = joined.mode === 'text';
    // Media first: its set-up waits on the device and the transports while the screen is drawn
    // below (no track can arrive before the tiles exist: that takes a round trip at least).
    const starting = text ? null : this.#startMedia(media, joined, stream);
    this.#render(text ? null : stream, text);
    for (const m of joined.chat) this.#chat?.showMessage(m, m.participantId === joined.participantId);
    this.#showInterpreter(joined.interpreter);
    for (const p of joined.participants) {
      this.#roles.set(p.participantId, p.role);
      if (p.role === 'caller' && p.connected) this.#callerCame = true;
      if (p.participantId !== joined.participantId && !text) {
        this.#tiles.ensure(p.participantId, p.role);
        this.#tiles.setConnected(p.participantId, p.connected);
      }
    }
    if (!starting) {
      media.close();
      this.#media = null;
      this.#chat?.focus();
    } else {
      await starting;
      if (stream) this.#qualityTimer = window.setInterval(() => void this.#showQuality(), 2000);
    }
    this.announcer.say(t('call.inCall'), true);
    return joined;
  }

  #newMedia(preloaded: PreloadedDevice | null = null): MediaClient {
    const media: MediaClient = new MediaClient(
      this.signaling,
      {
        onTrack: (track) => this.#attach(track),
        onTrackEnded: (producerId) => this.#trackEnded(producerId),
        // Only the current connection speaks for the call: one being retired may fail as its host goes.
        onFailed: () => {
          if (media === this.#media) this.#mediaFailed();
        },
        onConnected: () => {
          if (media === this.#media) this.#mediaConnected();
        },
      },
      preloaded,
    );
    this.#media = media;
    return media;
  }

  /**
   * The old connection goes once the tiles show the new one's tracks (or after RETIRE_WITHIN_MS):
   * when the call moves off a host that is stopping, its router forwards until then, so nobody's
   * picture stops while the new path is set up. A host that died shows nothing anyway.
   */
  async #retire(old: MediaClient | null): Promise<void> {
    if (!old) return;
    const tracks = new Set(old.consumers.map((c) => c.track));
    const until = Date.now() + RETIRE_WITHIN_MS;
    while (!this.#ended && Date.now() < until && this.#tiles.shows(tracks))
      await new Promise((resolve) => window.setTimeout(resolve, 100));
    this.#retiring.delete(old);
    old.close();
  }

  async #startMedia(media: MediaClient, joined: Joined, stream: MediaStream | null): Promise<void> {
    // Exposed before the start: the e2e tests and the bench poll it for the first decoded frame.
    exposeStats(media, () =>
      [...this.#retiring].flatMap((old) =>
        old.consumers.filter((c) => this.#tiles.shows(new Set([c.track]))),
      ),
    );
    await media.start(joined, stream);
  }

  /**
   * A media connection failed. The first time, media is set up again (new transports, new TURN
   * credentials). If that fails too, no path gets through this network (a firewall that lets
   * no video through, a TURN server out of reach): the caller is told so and what to try, and
   * may try again, rather than watching a black tile while it retries forever.
   */
  #mediaFailed(): void {
    this.#failures += 1;
    if (this.#failures === 1) {
      void this.#restartMedia();
      return;
    }
    const retry = h('button', { type: 'button', id: 'media-retry' }, t('call.noMediaPath.retry'));
    retry.addEventListener('click', () => {
      this.#mediaProblem.replaceChildren();
      void this.#restartMedia();
    });
    this.#mediaProblem.replaceChildren(h('p', {}, t('call.noMediaPath.message')), retry);
  }

  #mediaConnected(): void {
    this.#failures = 0;
    this.#mediaProblem.replaceChildren();
  }

  /** Full restart: the media connection failed, so the server drops ours and we set it up again. */
  #restartAttempts = 0;
  /** Old connections kept until the new one shows (#retire). */
  readonly #retiring = new Set<MediaClient>();

  async #restartMedia(): Promise<void> {
    if (this.#restarting || this.#ended || !this.#joined) return;
    this.#restarting = true;
    // Kept going until the new connection shows (#retire), closed at once if the restart fails.
    let old: MediaClient | null = null;
    try {
      old = this.#media;
      if (old) this.#retiring.add(old);
      const media = this.#newMedia();
      const { producers, routerRtpCapabilities, mediaId } = await withRetry(() =>
        this.signaling.request('media:restart', {}),
      );
      this.#joined = { ...this.#joined, producers, routerRtpCapabilities, mediaId };
      await this.#startMedia(media, this.#joined, this.#stream);
      // Muted stays muted, camera off stays off: the new producers take the buttons' state.
      for (const [kind, id] of [
        ['audio', 'toggle-mic'],
        ['video', 'toggle-camera'],
      ] as const) {
        if (this.root.querySelector(`#${id}`)?.getAttribute('aria-pressed') === 'true')
          await media.setPaused(kind, true);
      }
      this.announcer.say(t('call.reconnected'), true);
      this.#restartAttempts = 0;
      void this.#retire(old);
      old = null;
    } catch (err) {
      console.error('media restart failed', err);
      // A restart cut short (the connection went, the centre changed its leader mid-way) is tried
      // again from the start, a few times, rather than leaving the call without media.
      if (++this.#restartAttempts < RESTART_ATTEMPTS && !this.#ended) {
        setTimeout(() => void this.#restartMedia(), RESTART_AGAIN_MS);
      }
    } finally {
      if (old) {
        this.#retiring.delete(old);
        old.close();
      }
      this.#restarting = false;
    }
  }

  /**
   * Cheap resume after the signalling connection blipped: the same token binds the new socket to
   * the same place in the call; media that kept flowing is left alone.
   */
  async #resume(): Promise<void> {
    if (this.#ended || !this.#token) return;
    try {
      const token = this.#token;
      const joined: Joined = await withRetry(() => this.signaling.request('session:join', { token }));
      // The call moved to another router while this socket was away: its restart order was missed.
      const missedMove = this.#joined !== null && joined.mediaId !== this.#joined.mediaId;
      this.#joined = { ...joined };
      if (missedMove) void this.#restartMedia();
      for (const p of joined.participants) {
        if (p.participantId !== joined.participantId) this.#tiles.setConnected(p.participantId, p.connected);
      }
      this.announcer.say(t('call.reconnected'), true);
    } catch {
      this.#finish('participant-lost');
    }
  }

  #listen(): void {
    const onReconnect = () => void this.#resume();
    this.signaling.socket.io.on('reconnect', onReconnect);
    this.#unsubscribe.push(() => this.signaling.socket.io.off('reconnect', onReconnect));
    const on = <K extends keyof SessionServerEvents>(event: K, handler: SessionServerEvents[K]) => {
      this.#unsubscribe.push(listen(this.signaling.socket, event, handler));
    };
    on('session:producer-added', (p) => {
      mark(`producer-added (${this.#roles.get(p.participantId) ?? 'unknown'} ${p.source})`);
      void this.#media?.consume(p).catch((err: unknown) => console.error('consume failed', err));
    });
    on('session:producer-closed', ({ producerId }) => this.#media?.producerClosed(producerId));
    on('session:participant-joined', (p) => {
      this.#roles.set(p.participantId, p.role);
      if (p.role === 'caller') this.#callerCame = true;
      this.#media?.rememberRole(p.participantId, p.role);
      if (this.#media) {
        this.#tiles.ensure(p.participantId, p.role);
        this.#tiles.setConnected(p.participantId, true);
      }
      this.#showParticipant(t('call.participantJoined', { role: t(`call.roles.${p.role}`) }));
    });
    on('session:participant-away', ({ participantId, role }) => {
      this.#tiles.setConnected(participantId, false);
      this.#showParticipant(t(`call.away.${role}`));
    });
    on('session:participant-back', ({ participantId, role }) => {
      if (role === 'caller') this.#callerCame = true;
      this.#tiles.setConnected(participantId, true);
      this.#showParticipant(t(`call.back.${role}`));
    });
    on('session:participant-left', ({ participantId, role }) => {
      // Gone for good: the tile goes once their last track has ended.
      this.#tiles.setConnected(participantId, false);
      this.#showParticipant(t('call.participantLeft', { role: t(`call.roles.${role}`) }));
    });
    on('session:interpreter', (status) => this.#showInterpreter(status));
    on('session:media-restart', () => void this.#restartMedia());
    on('session:ended', ({ reason }) => this.#finish(reason));
    on('chat:message', (m) => this.#chat?.showMessage(m, m.participantId === this.#participantId));
    on('rtt:draft', (d) => this.#chat?.showDraft(d));
  }

  #showParticipant(message: string): void {
    this.#participantStatus.textContent = message;
  }

  #showInterpreter(status: InterpreterStatus): void {
    const message =
      status.status === 'searching'
        ? t('call.interpreter.searching', { language: languageName(status.language) })
        : status.status === 'joined'
          ? t('call.interpreter.joined')
          : '';
    this.#interpreterStatus.textContent = message;
    if (message) this.announcer.say(message, true);
    for (const listener of this.#interpreterListeners) listener(status);
  }

  #render(stream: MediaStream | null, text: boolean): void {
    this.#chat = new ChatPanel(this.signaling, (err) => console.error('chat failed', err));
    const hangup = h('button', { type: 'button', id: 'hang-up', class: 'danger' }, t('call.hangUp'));
    hangup.addEventListener('click', () => void this.hangUp());
    const controls = h('div', { class: 'call-controls', role: 'group', 'aria-label': t('call.controls') });
    const media = h(
      'div',
      { class: 'call-media' },
      this.#mediaProblem,
      this.#participantStatus,
      this.#interpreterStatus,
    );
    if (!text) {
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
      mute.addEventListener('click', () => void this.#toggle('audio', mute));
      camera.addEventListener('click', () => void this.#toggle('video', camera));
      controls.append(mute, camera);
      media.append(this.#tiles.element, h('div', { class: 'self' }, self, this.#quality));
    }
    controls.append(hangup);
    media.append(controls, this.extraControls);
    this.root.classList.toggle('text-only', text);
    this.root.replaceChildren(media, this.#chat.element);
  }

  /** EN 301 549 asks ≥ 20 fps for sign language; say plainly when the sent video falls under it. */
  async #showQuality(): Promise<void> {
    if (!this.#media || this.#media.isPaused('video')) {
      this.#quality.textContent = '';
      return;
    }
    const out = await outboundVideoStats(this.#media);
    if (!out || out.framesPerSecond === null || out.frameWidth === null || out.frameHeight === null) return;
    const fps = Math.round(out.framesPerSecond);
    const low = fps < 20;
    this.#quality.textContent = t(low ? 'call.quality.low' : 'call.quality.ok', {
      fps,
      width: out.frameWidth,
      height: out.frameHeight,
    });
    this.#quality.classList.toggle('warning', low);
    // Announced once when it drops, not on every update.
    if (low && !this.#lowFrameRate) this.announcer.say(this.#quality.textContent, true);
    this.#lowFrameRate = low;
  }

  async #toggle(kind: 'audio' | 'video', button: HTMLButtonElement): Promise<void> {
    if (!this.#media) return;
    const paused = !this.#media.isPaused(kind);
    await this.#media.setPaused(kind, paused);
    // Muting mutes the connection being retired too: it may still be what the others hear.
    for (const old of this.#retiring) void old.setPaused(kind, paused).catch(() => undefined);
    button.setAttribute('aria-pressed', String(paused));
    if (kind === 'audio') button.textContent = t(paused ? 'call.unmute' : 'call.mute');
    else button.textContent = t(paused ? 'call.cameraOn' : 'call.cameraOff');
  }

  #attach(remote: RemoteTrack): void {
    this.#producerOwner.set(remote.consumer.producerId, remote.participantId);
    this.#tiles.attach(remote.participantId, remote.role ?? 'caller', remote.kind, remote.track);
  }

  #trackEnded(producerId: string): void {
    const owner = this.#producerOwner.get(producerId);
    this.#producerOwner.delete(producerId);
    if (owner) this.#tiles.trackEnded(owner);
  }

  async hangUp(): Promise<void> {
    if (this.#ended) return;
    try {
      await this.signaling.request('session:hangup', {});
    } catch (err) {
      // The server may already have ended the call; either way it is over here.
      if (!isRequestError(err, 'call-ended')) console.error('hang-up failed', err);
    }
    this.#finish('hangup');
  }

  /** The caller came to the call at least once (as the server counts it for the wrap-up). */
  get callerCame(): boolean {
    return this.#callerCame;
  }

  #finish(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const off of this.#unsubscribe) off();
    window.clearInterval(this.#qualityTimer);
    this.#media?.close();
    this.#media = null;
    this.#chat = null;
    this.#tiles.clear();
    // Dropping the panel drops the conversation: nothing of it stays in the page after the call.
    this.root.replaceChildren();
    this.announcer.say(t(`call.endedBy.${reason}`), true);
    this.onEnded(reason);
  }
}
