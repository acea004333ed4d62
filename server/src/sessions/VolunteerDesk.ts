import { RelayError } from '../../../common/errors';
import type { VolunteerPresence, VolunteerStatus } from '../../../common/protocol';
import type { WeeklyHours } from '../lobby';
import type { Logger } from '../logger';
import type { CallEventLog } from './CallEventLog';
import type { AttendancePort, CallRecords, InterpreterPort, LobbyPort } from './ports';
import type { RemovalReason, Session } from './Session';
import type { SessionRegistry } from './SessionRegistry';
import type { DeskStore, StoredStaff } from './DeskStore';
import { StaffDirectory, type StaffIdentity } from './StaffDirectory';

export interface VolunteerDeskDeps {
  lobby: LobbyPort;
  sessions: Pick<SessionRegistry, 'opening'>;
  attendance: AttendancePort;
  records: CallRecords;
  /** The calls' event log: interpreters joining and leaving, declined invitations. */
  events: Pick<CallEventLog, 'write' | 'invitationDeclined'>;
  log: Logger;
  /** Where the next leader of a cluster finds volunteers' names (none in one process). */
  desk?: DeskStore;
}

export type VolunteerProfile = StaffIdentity & { weeklyHours: WeeklyHours[] };

/**
 * Volunteers and the interpreters of calls: presence (always the lobby's), invitations (the first to
 * accept joins), an interpreter asked for mid-call, removed, replaced, or lost and replaced by
 * ringing others.
 */
export class VolunteerDesk implements InterpreterPort {
  readonly #staff: StaffDirectory;

  constructor(private readonly deps: VolunteerDeskDeps) {
    this.#staff = new StaffDirectory('volunteer', deps.desk);
  }

  /** Takes over the volunteers' names another leader kept. */
  restore(staff: StoredStaff[]): void {
    for (const member of staff) this.#staff.restore(member);
  }

  stored(): StoredStaff[] {
    return this.#staff.stored();
  }

  /** A node reports one of the volunteer's sockets after a change of leader. */
  present(volunteerId: string): void {
    this.#staff.present(volunteerId);
  }

  /** Volunteers no node reported: their screens went with the old leader and did not come back. */
  async lostInTakeover(): Promise<void> {
    for (const volunteerId of this.#staff.unreported()) await this.disconnected(volunteerId);
  }

  /** This node no longer leads. */
  standDown(): void {
    this.#staff.clear();
  }

  presenceOf(volunteerId: string): VolunteerPresence {
    return this.deps.lobby.read.volunteerView(volunteerId)?.presence ?? 'offline';
  }

  /** Presence, and whether now is within the volunteer's hours (so they can be rung). */
  status(volunteerId: string): VolunteerStatus {
    const view = this.deps.lobby.read.volunteerView(volunteerId);
    return { presence: view?.presence ?? 'offline', withinHours: view?.withinHours ?? false };
  }

  async connected(volunteer: VolunteerProfile): Promise<VolunteerStatus> {
    this.#staff.connected(volunteer);
    // New languages or hours may let a waiting caller be bridged now.
    await this.#upsert(volunteer);
    return this.status(volunteer.id);
  }

  /** A volunteer changed their languages or hours: the lobby uses the new ones at once. */
  async profileChanged(volunteer: VolunteerProfile): Promise<void> {
    if (!this.#staff.identity(volunteer.id)) return;
    await this.#upsert(volunteer);
  }

  async #upsert(volunteer: VolunteerProfile): Promise<void> {
    await this.deps.lobby.run('upsertVolunteer', {
      volunteerId: volunteer.id,
      languages: volunteer.languages,
      weeklyHours: volunteer.weeklyHours,
    });
  }

  async setPresence(
    volunteerId: string,
    presence: 'available' | 'away' | 'offline',
  ): Promise<VolunteerStatus> {
    if (this.presenceOf(volunteerId) === 'in-call') {
      throw new RelayError('invalid-state', 'you are interpreting a call');
    }
    await this.deps.lobby.run('setVolunteerPresence', volunteerId, presence);
    this.deps.log.info({ volunteerId, presence }, 'volunteer presence');
    return this.status(volunteerId);
  }

  /** Their last screen went away: no more invitations. An interpreter in a call has its own grace. */
  async disconnected(volunteerId: string): Promise<void> {
    this.#staff.disconnected(volunteerId);
    if (this.presenceOf(volunteerId) !== 'in-call') await this.#offline(volunteerId);
  }

  /** First accept wins: the interpreter joins the call's router with a token of their own. */
  async acceptInvitation(volunteerId: string, invitationId: string): Promise<{ token: string }> {
    const { lobby, attendance, log } = this.deps;
    const { matchId } = await lobby.run('acceptInvitation', volunteerId, invitationId);
    // The invitation went out as the call was being opened: it may not be open yet.
    const session = await this.deps.sessions.opening(matchId);
    if (!session || session.ended) throw new RelayError('invalid-state', 'the call has already ended');
    const name = this.#staff.identity(volunteerId)?.displayName ?? null;
    const p = session.addParticipant('interpreter', volunteerId, name);
    attendance.expectJoin(session, p.participantId);
    this.deps.records
      .interpreterJoined(session.recordId, volunteerId)
      .catch((err: unknown) => log.error({ err }, 'could not record the interpreter'));
    this.deps.events.write(session.recordId, { type: 'interpreter-joined', volunteerId });
    log.info({ sessionId: session.id, volunteerId }, 'interpreter accepted');
    session.setInterpreter({ status: 'joined' });
    return { token: p.token };
  }

  async declineInvitation(volunteerId: string, invitationId: string): Promise<void> {
    await this.deps.lobby.run('declineInvitation', volunteerId, invitationId);
    this.deps.events.invitationDeclined(volunteerId, invitationId);
  }

  /** The agent asks for an interpreter during a two-way call (or for another language). */
  async requestInterpreter(session: Session, language?: string): Promise<void> {
    await this.deps.lobby.run('requestInterpreter', session.matchId, language);
    session.setInterpreter({ status: 'searching', language: language ?? session.language });
  }

  /** The agent takes the interpreter out of the call; with `replace`, other volunteers are rung. */
  async removeInterpreter(session: Session, replace: boolean): Promise<void> {
    const interpreter = session.participantByRole('interpreter');
    if (!interpreter) throw new RelayError('invalid-state', 'there is no interpreter in this call');
    await this.interpreterGone(session, interpreter.participantId, replace, 'removed');
  }

  /**
   * The interpreter hung up: they leave the call, which goes on, and are free for the next one.
   * Nobody is rung in their place: leaving on purpose is not a lost connection, and the agent, who
   * knows whether the conversation still needs one, can ask for another interpreter with one button.
   */
  async interpreterHungUp(session: Session, participantId: string): Promise<void> {
    await this.interpreterGone(session, participantId, false, 'hangup');
  }

  /**
   * The interpreter left (dropped past the grace period, removed, or hung up); with `replace`, ring
   * others. `reason` is what the interpreter's own screens are told.
   */
  async interpreterGone(
    session: Session,
    participantId: string,
    replace: boolean,
    reason: RemovalReason,
  ): Promise<void> {
    const p = session.participant(participantId);
    if (!p) return;
    this.deps.attendance.arrived(participantId);
    session.removeParticipant(participantId, reason);
    if (p.accountId)
      this.deps.events.write(session.recordId, {
        type: 'interpreter-left',
        volunteerId: p.accountId,
        reason,
      });
    // Not replaced: nobody is rung at all (not rung and then withdrawn a moment later).
    const left = await this.deps.lobby.attempt('interpreterLeft', session.matchId, replace);
    if (p.accountId && !this.#staff.isConnected(p.accountId)) await this.#offline(p.accountId);
    session.setInterpreter(
      left && replace ? { status: 'searching', language: session.language } : { status: 'none' },
    );
  }

  async callEnded(session: Session): Promise<void> {
    for (const p of session.participants) {
      if (p.role === 'interpreter' && p.accountId)
        this.deps.events.write(session.recordId, {
          type: 'interpreter-left',
          volunteerId: p.accountId,
          reason: 'call-ended',
        });
      if (p.role === 'interpreter' && p.accountId && !this.#staff.isConnected(p.accountId)) {
        await this.#offline(p.accountId);
      }
    }
  }

  async #offline(volunteerId: string): Promise<void> {
    await this.deps.lobby.attempt('setVolunteerPresence', volunteerId, 'offline');
  }
}
