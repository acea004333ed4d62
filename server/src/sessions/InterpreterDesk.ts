import type { InvitationView, VolunteerPresence, VolunteerStatus } from '../../../common/protocol';
import type { LobbyEvent, WeeklyHours } from '../lobby';
import type { DeskContext } from './CallCenter';
import { CallCenterError, expectOk } from './errors';
import type { Session } from './Session';
import { StaffDirectory, type StaffIdentity } from './StaffDirectory';

/**
 * Volunteers and the interpreters of calls: presence, invitations (the first to accept joins), an
 * interpreter asked for mid-call, removed, replaced, or lost and replaced by ringing others.
 */
export class InterpreterDesk {
  readonly volunteers = new StaffDirectory<VolunteerPresence>('offline');

  constructor(private readonly ctx: DeskContext) {}

  /** The agent asks for an interpreter during a two-way call (or for another language). */
  requestInterpreter(session: Session, language?: string): void {
    const { events } = expectOk(this.ctx.lobby.requestInterpreter(session.matchId, language));
    session.setInterpreter({ status: 'searching', language: language ?? session.language });
    this.ctx.apply(events);
  }

  /** The agent takes the interpreter out of the call; with `replace`, other volunteers are rung. */
  removeInterpreter(session: Session, replace: boolean): void {
    const interpreter = session.participantByRole('interpreter');
    if (!interpreter) throw new CallCenterError('invalid-state', 'there is no interpreter in this call');
    this.interpreterGone(session, interpreter.participantId, replace);
  }

  /** The interpreter left (dropped past the grace period, or was removed); with `replace`, ring others. */
  interpreterGone(session: Session, participantId: string, replace: boolean): void {
    const p = session.participant(participantId);
    if (!p) return;
    this.ctx.clearGrace(participantId);
    session.removeParticipant(participantId);
    if (p.accountId) this.#setPresence(p.accountId, 'available');
    const left = this.ctx.lobby.interpreterLeft(session.matchId);
    if (left.ok && replace) {
      session.setInterpreter({ status: 'searching', language: session.language });
      this.ctx.apply(left.events);
      return;
    }
    if (left.ok) this.ctx.apply(left.events);
    // Not replaced: stop ringing by ending the search the lobby just started.
    this.#stopInterpreterSearch(session);
  }

  #stopInterpreterSearch(session: Session): void {
    const r = this.ctx.lobby.cancelInterpreterSearch(session.matchId);
    if (r.ok) this.ctx.apply(r.events);
    session.setInterpreter({ status: 'none' });
  }

  connected(volunteer: StaffIdentity & { weeklyHours: WeeklyHours[] }): VolunteerPresence {
    this.volunteers.remember(volunteer);
    const { events } = expectOk(
      this.ctx.lobby.upsertVolunteer({
        volunteerId: volunteer.id,
        languages: volunteer.languages,
        weeklyHours: volunteer.weeklyHours,
      }),
    );
    // New languages or hours may let a waiting caller be bridged now.
    this.ctx.apply(events);
    return this.volunteers.presence(volunteer.id);
  }

  /** A volunteer changed their languages or hours: the lobby uses the new ones at once. */
  profileChanged(volunteer: StaffIdentity & { weeklyHours: WeeklyHours[] }): void {
    if (!this.volunteers.identity(volunteer.id)) return;
    this.connected(volunteer);
    // Their hours may now cover the present (or no longer): tell their page.
    this.ctx.emit('volunteer-presence', volunteer.id, this.status(volunteer.id));
  }

  setPresence(volunteerId: string, presence: 'available' | 'away' | 'offline'): VolunteerPresence {
    const current = this.volunteers.presence(volunteerId);
    if (current === 'in-call') throw new CallCenterError('invalid-state', 'you are interpreting a call');
    const { events } = expectOk(this.ctx.lobby.setVolunteerPresence(volunteerId, presence));
    this.volunteers.setPresence(volunteerId, presence);
    this.ctx.apply(events);
    this.ctx.log.info({ volunteerId, presence }, 'volunteer presence');
    return this.volunteers.presence(volunteerId);
  }

  /** Tells the volunteer their state (freed at the end of a call, or after being removed). */
  free(volunteerId: string): void {
    this.#setPresence(volunteerId, 'available');
  }

  #setPresence(volunteerId: string, presence: VolunteerPresence): void {
    this.volunteers.setPresence(volunteerId, presence);
    this.ctx.emit('volunteer-presence', volunteerId, this.status(volunteerId));
  }

  /** Presence, and whether now is within the volunteer's hours (so they can be rung). */
  status(volunteerId: string): VolunteerStatus {
    return {
      presence: this.volunteers.presence(volunteerId),
      withinHours: this.ctx.lobby.volunteerView(volunteerId)?.withinHours ?? false,
    };
  }

  presenceOf(volunteerId: string): VolunteerPresence {
    return this.volunteers.presence(volunteerId);
  }

  disconnected(volunteerId: string): void {
    if (['available', 'invited', 'away'].includes(this.volunteers.presence(volunteerId))) {
      this.setPresence(volunteerId, 'offline');
    }
  }

  /** First accept wins: the interpreter joins the call's router with a token of their own. */
  acceptInvitation(volunteerId: string, invitationId: string): { token: string } {
    const { value, events } = expectOk(this.ctx.lobby.acceptInvitation(volunteerId, invitationId));
    const session = this.ctx.sessions.byMatch(value.matchId);
    if (!session || session.ended) {
      this.ctx.apply(events);
      throw new CallCenterError('invalid-state', 'the call has already ended');
    }
    const name = this.volunteers.identity(volunteerId)?.displayName ?? null;
    const p = session.addParticipant('interpreter', volunteerId, name);
    this.volunteers.setPresence(volunteerId, 'in-call');
    this.ctx.apply(events);
    this.ctx.expectJoin(session, p.participantId, this.ctx.graceMs);
    this.ctx.records
      .interpreterJoined(session.recordId, volunteerId)
      .catch((err: unknown) => this.ctx.log.error({ err }, 'could not record the interpreter'));
    this.ctx.log.info({ sessionId: session.id, volunteerId }, 'interpreter accepted');
    session.setInterpreter({ status: 'joined' });
    return { token: p.token };
  }

  declineInvitation(volunteerId: string, invitationId: string): void {
    const { events } = expectOk(this.ctx.lobby.declineInvitation(volunteerId, invitationId));
    this.volunteers.transition(volunteerId, ['invited'], 'available');
    this.ctx.apply(events);
  }

  /** The lobby's invitation events: the volunteer's state follows, and signalling delivers them. */
  relay(e: LobbyEvent): void {
    if (e.type === 'invitation') {
      this.volunteers.setPresence(e.volunteerId, 'invited');
      const invitation: InvitationView = {
        invitationId: e.invitationId,
        language: e.language,
        expiresAt: e.expiresAt,
      };
      this.ctx.emit('volunteer-invitation', e.volunteerId, invitation);
    } else if (e.type === 'invitation-withdrawn') {
      this.volunteers.transition(e.volunteerId, ['invited'], 'available');
      this.ctx.emit('volunteer-invitation-ended', e.volunteerId, e.invitationId, e.reason);
    }
  }

  /** The call ended: its interpreter is free again. */
  callEnded(session: Session): void {
    for (const p of session.participants) {
      if (p.role === 'interpreter' && p.accountId) this.free(p.accountId);
    }
  }
}
