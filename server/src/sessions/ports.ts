// What the desks need from the rest of the call centre, each as a small interface. A desk receives
// only the ports it uses, so no desk imports another or the CallCenter that wires them.
import type {
  AgentPresence,
  EndReason,
  FallbackView,
  InvitationView,
  OfferView,
  QueueView,
  VolunteerStatus,
} from '../../../common/protocol';
import type { AwayReason } from '../../../common/presence';
import type { CommandValue, Lobby, LobbyCommandName } from '../lobby';
import type { CallRecordWrites } from '../store/recordOps';
import type { Session } from './Session';
import type { CallerEntry } from './WaitingCallers';

/**
 * What the call centre needs of the store: call records without any conversation content. The
 * store declares it, beside the ops the writes become (a buffered writer journals them).
 */
export type CallRecords = CallRecordWrites;

/** The lobby's state, read: presence, places in line, the supervisor's aggregates. */
export type LobbyReader = Pick<
  Lobby,
  'agentView' | 'volunteerView' | 'callerView' | 'snapshot' | 'longestWaitByLanguage'
>;

/**
 * Changes the lobby's state: the command is applied, its events relayed and the lobby's one timer
 * rescheduled. Asynchronous because the lobby a command reaches need not be in this process.
 */
export interface LobbyPort {
  readonly read: LobbyReader;
  /** The command's value; a refusal rejects with a RelayError carrying the lobby's code. */
  run<K extends LobbyCommandName>(op: K, ...args: Parameters<Lobby[K]>): Promise<CommandValue<K>>;
  /** For clean-up that may find nothing left to do: a refusal resolves `false` instead. */
  attempt<K extends LobbyCommandName>(op: K, ...args: Parameters<Lobby[K]>): Promise<boolean>;
}

/** Who must show up in a call, and by when: past the wait, the role's "lost" handling runs. */
export interface AttendancePort {
  /** Starts (or restarts) the wait for a participant; defaults to the reconnect grace. */
  expectJoin(session: Session, participantId: string, withinMs?: number): void;
  /** The participant is here: the wait is over. */
  arrived(participantId: string): void;
}

/** What the agents' desk needs of the callers' line. */
export interface CallerPort {
  entry(callerId: string): CallerEntry | undefined;
  /** An agent answered: the caller gets this join token (kept for them until they join). */
  matched(callerId: string, token: string): void;
  /** Back in line after their agent vanished: no token until the next answer. */
  requeued(callerId: string): void;
  /** The call is over: the caller leaves the line's books and is offered the survey. */
  callEnded(session: Session, callerId: string): void;
  remove(callerId: string): void;
}

/** What the agents' desk needs of the volunteers' desk. */
export interface InterpreterPort {
  /** The call ended: its interpreter is free again (or offline, if their screen is gone). */
  callEnded(session: Session): Promise<void>;
}

/** What the call centre tells signalling: each event names whom it is for, by our ids. */
export type CallCenterEvents = {
  'caller-position': [callerId: string, view: QueueView];
  'caller-fallback': [callerId: string, view: FallbackView];
  'caller-matched': [callerId: string, token: string];
  /** The caller's agent vanished: they are back in line, at its head. */
  'caller-requeued': [callerId: string, view: QueueView];
  'agent-offer': [agentId: string, offer: OfferView];
  'agent-offer-ended': [agentId: string, offerId: string, reason: 'expired' | 'withdrawn' | 'taken'];
  'agent-presence': [agentId: string, presence: AgentPresence, reason?: AwayReason];
  'volunteer-invitation': [volunteerId: string, invitation: InvitationView];
  'volunteer-invitation-ended': [
    volunteerId: string,
    invitationId: string,
    reason: 'taken' | 'expired' | 'cancelled',
  ];
  'volunteer-presence': [volunteerId: string, status: VolunteerStatus];
  'session-started': [session: Session];
  'session-ended': [session: Session, reason: EndReason];
  'caller-survey': [participantId: string, survey: { surveyKey: string; language: string }];
};

export type Notify = <K extends keyof CallCenterEvents>(event: K, ...args: CallCenterEvents[K]) => void;
