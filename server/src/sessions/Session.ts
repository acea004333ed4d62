import type {
  CallMode,
  ChatMessage,
  EndReason,
  InterpreterStatus,
  ParticipantView,
  Role,
  RttDraft,
} from '../../../common/protocol';
import { RelayError } from '../../../common/errors';
import type { EndedBy } from '../store/callEvents';
import type { Logger } from '../logger';
import type { CallMediaPort } from '../media';
import { TypedEmitter } from '../util/TypedEmitter';
import { tokenHash } from './SessionDirectory';
import { newId, newToken } from './tokens';

export interface Participant {
  participantId: string;
  role: Role;
  /** Account of an agent or interpreter; callers are anonymous. */
  accountId: string | null;
  displayName: string | null;
  /**
   * Bearer secret binding one browser to this participant of this session only: handed out once,
   * kept in memory on the node that made it; null in a call a new leader took over (it has the hash).
   */
  token: string | null;
  /** The token's hash (SessionDirectory's tokenHash): how a join finds the participant. */
  tokenHash: string;
  connected: boolean;
  /** Joined at least once: a later drop is "away", not "never came". */
  hasJoined: boolean;
}

/** Why a participant was taken out of a call while it goes on: what their own screens are told. */
export type RemovalReason = Extract<EndReason, 'removed' | 'hangup' | 'participant-lost'>;

/**
 * The chat a late or returning participant is sent back: the last messages only, so a rejoin ack
 * stays small (30 s of chat at the rate limit was 2.6 MB). 200 messages is far more than a screen
 * shows; 64 KB of text bounds it when the messages are long (it still holds 10 of the longest,
 * 2000 Korean characters each). With the ids and roles around them, an ack stays under 100 KB.
 */
export const CHAT_WINDOW_MESSAGES = 200;
export const CHAT_WINDOW_BYTES = 64 * 1024;

export type SessionEvents = {
  /** A participant was added (an interpreter mid-call) or removed (an interpreter replaced or gone). */
  'participant-added': [Participant];
  'participant-removed': [Participant, RemovalReason];
  /** Joined for the first time. */
  'participant-joined': [Participant];
  /** Their connection dropped mid-call: their grace to come back runs. */
  'participant-away': [Participant];
  /** Back on a new connection after being away. */
  'participant-back': [Participant];
  'chat-message': [ChatMessage];
  'rtt-draft': [RttDraft];
  interpreter: [InterpreterStatus];
  /** The call's media moved to a new router (its worker died): browsers must set media up again. */
  'media-moved': [];
  ended: [EndReason];
};

/** Who answered whom: what the end of the call needs (its record, the wrap-up owed, the line). */
export interface CallAnswer {
  agentId: string;
  callerId: string;
  /** How long the caller waited before the agent answered. */
  waitedMs: number;
}

/**
 * A call on the server: its participants and roles, its media, and how it ended. It is keyed by
 * session and participant ids, never by socket ids, so a participant can come back on a new socket.
 */
export class Session extends TypedEmitter<SessionEvents> {
  readonly id: string;
  readonly startedAt: number;
  readonly #participants = new Map<string, Participant>();
  /** Participants of a call taken over whose sockets no node has reported yet. */
  readonly #unconfirmed = new Set<string>();
  /** The conversation lives here for the call only and is dropped when it ends: nothing is kept. */
  #chat: ChatMessage[] = [];
  /** UTF-8 bytes of the texts in `#chat`. */
  #chatBytes = 0;
  #endReason: EndReason | null = null;
  #endedBy: EndedBy = 'system';
  #interpreter: InterpreterStatus = { status: 'none' };

  constructor(
    readonly matchId: string,
    readonly recordId: string,
    readonly language: string,
    readonly mode: CallMode,
    readonly media: CallMediaPort,
    readonly answer: CallAnswer,
    now: number,
    private readonly log: Logger,
    /** A call taken over from another leader keeps its id; a new one gets a fresh id. */
    id: string = newId(),
  ) {
    super((event, error) => log.error({ event, err: error }, 'session listener failed'));
    this.id = id;
    this.startedAt = now;
    media.on('moved', () => this.safeEmit('media-moved'));
    media.on('closed', (reason) => {
      // Gone without being asked: the participants are told the server failed the call.
      if (reason !== 'ended') this.end('media-failed');
    });
  }

  get ended(): boolean {
    return this.#endReason !== null;
  }

  addParticipant(
    role: Role,
    accountId: string | null,
    displayName: string | null,
  ): Participant & { token: string } {
    const token = newToken();
    const participant = {
      participantId: newId(),
      role,
      accountId,
      displayName,
      token,
      tokenHash: tokenHash(token),
      connected: false,
      hasJoined: false,
    };
    this.#participants.set(participant.participantId, participant);
    this.media.addParticipant(participant.participantId);
    this.safeEmit('participant-added', participant);
    return participant;
  }

  /**
   * A participant of a call taken over from another leader, as it was: no event, no media order
   * (the call's router already has them, or the move that follows adds them). Not connected until
   * a node reports their socket: see CallCenter.presenceReport.
   */
  restoreParticipant(p: Omit<Participant, 'token' | 'connected'>): Participant {
    const participant: Participant = { ...p, token: null, connected: false };
    this.#participants.set(participant.participantId, participant);
    this.#unconfirmed.add(participant.participantId);
    return participant;
  }

  /** The chat window and interpreter status a call taken over had (the chat is not kept: empty). */
  restoreInterpreter(status: InterpreterStatus): void {
    this.#interpreter = status;
  }

  /** Takes a participant out of the call (their token stops working); the others go on. */
  removeParticipant(participantId: string, reason: RemovalReason = 'removed'): void {
    const p = this.#participants.get(participantId);
    if (!p) return;
    this.#participants.delete(participantId);
    this.media.removeParticipant(participantId);
    this.log.info({ participantId, role: p.role, reason }, 'participant removed');
    p.connected = false;
    this.safeEmit('participant-removed', p, reason);
  }

  participant(participantId: string): Participant | undefined {
    return this.#participants.get(participantId);
  }

  participantByRole(role: Role): Participant | undefined {
    return [...this.#participants.values()].find((p) => p.role === role);
  }

  get participants(): Participant[] {
    return [...this.#participants.values()];
  }

  setConnected(participantId: string, connected: boolean): void {
    const p = this.#participants.get(participantId);
    if (!p) return;
    // Taken over with the call and now reported by the node holding their socket: they never left.
    if (this.#unconfirmed.delete(participantId) && connected && p.hasJoined) {
      p.connected = true;
      return;
    }
    if (p.connected === connected) return;
    p.connected = connected;
    const first = connected && !p.hasJoined;
    p.hasJoined = true;
    const event = first ? 'participant-joined' : connected ? 'participant-back' : 'participant-away';
    this.log.info({ participantId, role: p.role }, event);
    this.safeEmit(event, p);
  }

  /** The caller came to the call at least once: else no conversation took place. */
  get callerJoined(): boolean {
    return this.participantByRole('caller')?.hasJoined ?? false;
  }

  /** Whether the call has, or is looking for, an interpreter: every participant is shown this. */
  get interpreter(): InterpreterStatus {
    return this.#interpreter;
  }

  setInterpreter(status: InterpreterStatus): void {
    this.#interpreter = status;
    this.safeEmit('interpreter', status);
  }

  /** The last messages of the call, at most CHAT_WINDOW_MESSAGES and CHAT_WINDOW_BYTES of text. */
  get chat(): readonly ChatMessage[] {
    return this.#chat;
  }

  postMessage(participantId: string, text: string, at: number): ChatMessage {
    const p = this.#requireParticipant(participantId);
    const message: ChatMessage = { messageId: newId(), participantId, role: p.role, text, at };
    this.#chat.push(message);
    this.#chatBytes += Buffer.byteLength(text);
    while (this.#chat.length > CHAT_WINDOW_MESSAGES || this.#chatBytes > CHAT_WINDOW_BYTES) {
      const oldest = this.#chat.shift();
      if (oldest) this.#chatBytes -= Buffer.byteLength(oldest.text);
    }
    this.safeEmit('chat-message', message);
    // A sent message replaces its draft.
    this.safeEmit('rtt-draft', { participantId, role: p.role, text: '' });
    return message;
  }

  updateDraft(participantId: string, text: string): void {
    const p = this.#requireParticipant(participantId);
    this.safeEmit('rtt-draft', { participantId, role: p.role, text });
  }

  #requireParticipant(participantId: string): Participant {
    const p = this.#participants.get(participantId);
    if (!p) throw new RelayError('forbidden', `${participantId} is not a participant of this call`);
    return p;
  }

  view(p: Participant): ParticipantView {
    return {
      participantId: p.participantId,
      role: p.role,
      displayName: p.displayName,
      connected: p.connected,
    };
  }

  /** The call's media was set up anew while nobody controlled it (a takeover): browsers must redo theirs. */
  mediaMoved(): void {
    this.safeEmit('media-moved');
  }

  /** Who ended the call: a participant who hung up, else the service (for the call's event log). */
  get endedBy(): EndedBy {
    return this.#endedBy;
  }

  /** Ends the call for everyone and frees its router. Idempotent: the first end and its `by` count. */
  end(reason: EndReason, by: EndedBy = 'system'): void {
    if (this.#endReason) return;
    this.#endReason = reason;
    this.#endedBy = by;
    this.#chat = [];
    this.#chatBytes = 0;
    this.media.close();
    this.log.info({ reason }, 'session ended');
    this.safeEmit('ended', reason);
  }
}
