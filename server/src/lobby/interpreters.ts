// The interpreter ringer: which calls need a volunteer, ringing volunteers k at a time, and the fate of
// each invitation. It owns invitations; the Lobby owns everything else and is reached through
// `RingerContext` (events, deadlines, volunteer state changes, bridge demand).
import { languagePrefixes, serves } from './languages';
import type { InvitationRec, MatchRec, VolunteerRec } from './records';
import { ClosedLog, fail } from './results';
import type { LobbyEvent, LobbyResult, VolunteerPresence } from './types';
import type { VolunteerRoster } from './volunteers';

export type InvitationEnd = 'accepted' | 'declined' | 'expired' | 'taken' | 'cancelled';

export interface RingerContext {
  readonly ringBatch: number;
  readonly invitationTimeoutMs: number;
  /** Instant of the call being processed. */
  now(): number;
  /** Fresh clock read, for validating a reply before anything changes. */
  clock(): number;
  emit(event: LobbyEvent): void;
  scheduleExpiry(inv: InvitationRec): void;
  changeVolunteer(v: VolunteerRec, mutate: () => void, keepIdleOrder?: boolean): void;
  /** A call starts or stops counting on a volunteer for this language. */
  addDemand(language: string, delta: 1 | -1): void;
}

export class InterpreterRinger {
  readonly invitations = new Map<string, InvitationRec>();
  /** Calls waiting for an interpreter, by interpreter language, oldest first. */
  private readonly awaiting = new Map<string, Set<MatchRec>>();
  private readonly closed = new ClosedLog<InvitationEnd>();
  private seq = 0;
  // Work for the Lobby's settle loop.
  private readonly ringQueue = new Set<MatchRec>();
  private readonly newRingable = new Set<VolunteerRec>();

  constructor(
    private readonly ctx: RingerContext,
    private readonly volunteers: VolunteerRoster,
  ) {}

  get awaitingCount(): number {
    let n = 0;
    for (const set of this.awaiting.values()) n += set.size;
    return n;
  }

  /** Snapshot: the id sequence, the memory of closed invitations, the waiting calls in their order. */
  exportState(): {
    seq: number;
    closed: Array<{ id: string; ownerId: string; reason: InvitationEnd }>;
    awaiting: Array<{ language: string; matchIds: string[] }>;
  } {
    return {
      seq: this.seq,
      closed: this.closed.entries(),
      awaiting: [...this.awaiting].map(([language, set]) => ({
        language,
        matchIds: [...set].map((m) => m.id),
      })),
    };
  }

  /** Restore, on a fresh ringer: invitations already linked to their volunteer and match. */
  restoreState(
    state: { seq: number; closed: ReadonlyArray<{ id: string; ownerId: string; reason: InvitationEnd }> },
    invitations: readonly InvitationRec[],
    awaiting: ReadonlyArray<{ language: string; matches: readonly MatchRec[] }>,
  ): void {
    for (const inv of invitations) this.invitations.set(inv.id, inv);
    for (const { language, matches } of awaiting) this.awaiting.set(language, new Set(matches));
    this.closed.load(state.closed);
    this.seq = state.seq;
  }

  hasWork(): boolean {
    return this.ringQueue.size > 0 || this.newRingable.size > 0;
  }

  /** Tops up calls short of invitations, then offers newly ringable volunteers to waiting calls. */
  work(): void {
    if (this.ringQueue.size > 0) {
      const matches = [...this.ringQueue].sort((a, b) => a.seq - b.seq);
      this.ringQueue.clear();
      for (const m of matches) this.ring(m);
    } else if (this.newRingable.size > 0) {
      const vols = [...this.newRingable].sort((a, b) => a.idleSeq - b.idleSeq);
      this.newRingable.clear();
      for (const v of vols) this.ringVolunteer(v);
    }
  }

  volunteerRingable(v: VolunteerRec): void {
    this.newRingable.add(v);
  }

  /** The call needs an interpreter (bridged call accepted, requested, or the interpreter left). */
  startAwaiting(match: MatchRec, countDemand: boolean): void {
    match.awaiting = true;
    let set = this.awaiting.get(match.interpreterLanguage);
    if (set === undefined) {
      set = new Set();
      this.awaiting.set(match.interpreterLanguage, set);
    }
    set.add(match);
    if (countDemand) this.ctx.addDemand(match.interpreterLanguage, 1);
    this.ringQueue.add(match);
  }

  /** A volunteer answered first: they join, the others' invitations are withdrawn at once. */
  accept(inv: InvitationRec): void {
    const match = inv.match;
    const v = inv.volunteer;
    this.close(inv, 'accepted', 'in-call');
    this.ctx.changeVolunteer(v, () => (v.match = match));
    match.interpreter = v;
    this.stopAwaiting(match);
    this.ctx.emit({ type: 'interpreter-joined', matchId: match.id, volunteerId: v.id });
    for (const other of [...match.invitations]) this.withdraw(other, 'taken', 'available');
  }

  /** Declined: not rung again for this call; one more is rung in their place. */
  decline(inv: InvitationRec): void {
    inv.match.excluded.add(inv.volunteer.id);
    this.close(inv, 'declined', 'available');
    this.ringQueue.add(inv.match);
  }

  /** The interpreter left: they are freed and excluded, and (unless told not to) the call looks for someone else. */
  interpreterLeft(match: MatchRec, v: VolunteerRec, lookForAnother: boolean): void {
    match.interpreter = null;
    match.excluded.add(v.id);
    this.ctx.changeVolunteer(v, () => {
      v.match = null;
      v.presence = 'available';
    });
    if (lookForAnother) this.startAwaiting(match, true);
    else match.needsInterpreter = false;
  }

  /** The agent no longer wants an interpreter: ringing stops and open invitations are withdrawn. */
  cancelSearch(match: MatchRec): void {
    this.stopAwaiting(match);
    match.needsInterpreter = false;
    for (const inv of [...match.invitations]) this.withdraw(inv, 'cancelled', 'available');
  }

  /** The call is over (ended or requeued): invitations cancelled, interpreter freed, demand released. */
  closeMatch(match: MatchRec): void {
    for (const inv of [...match.invitations]) this.withdraw(inv, 'cancelled', 'available');
    this.stopAwaiting(match);
    const v = match.interpreter;
    if (v !== null) {
      match.interpreter = null;
      this.ctx.changeVolunteer(v, () => {
        v.match = null;
        v.presence = 'available';
      });
    }
  }

  /**
   * Withdraws an invitation and tells the volunteer why. Someone else answering, or the call ending,
   * is not their doing: they keep their turn; after a timeout they go to the back.
   */
  withdraw(inv: InvitationRec, reason: 'taken' | 'expired' | 'cancelled', next: VolunteerPresence): void {
    this.ctx.emit({
      type: 'invitation-withdrawn',
      invitationId: inv.id,
      volunteerId: inv.volunteer.id,
      reason,
    });
    this.close(inv, reason, next, reason !== 'expired');
    if (reason !== 'taken') this.ringQueue.add(inv.match);
  }

  /** Validates a volunteer's reply; the error says whether they were late or lost the race. */
  find(v: VolunteerRec, invitationId: string): LobbyResult<InvitationRec> {
    const inv = this.invitations.get(invitationId);
    if (inv === undefined || inv.volunteer !== v) {
      const closed = this.closed.reasonFor(invitationId, v.id);
      if (closed === 'taken') return fail('taken', 'another volunteer already joined this call');
      if (closed === 'expired') return fail('expired', 'the invitation expired');
      if (closed !== undefined) return fail('invalid-state', `the invitation was already ${closed}`);
      return fail('not-found', `no invitation ${String(invitationId)} for volunteer ${v.id}`);
    }
    if (this.ctx.clock() >= inv.expiresAt) return fail('expired', 'the invitation expired');
    return { ok: true, value: inv, events: [] };
  }

  private stopAwaiting(match: MatchRec): void {
    if (!match.awaiting) return;
    match.awaiting = false;
    const set = this.awaiting.get(match.interpreterLanguage);
    set?.delete(match);
    if (set !== undefined && set.size === 0) this.awaiting.delete(match.interpreterLanguage);
    this.ctx.addDemand(match.interpreterLanguage, -1);
  }

  /** Tops a match up to `ringBatch` parallel invitations, longest-idle volunteers first. */
  private ring(match: MatchRec): void {
    if (!match.active || !match.awaiting) return;
    const need = this.ctx.ringBatch - match.invitations.size;
    if (need <= 0) return;
    const picks = this.volunteers.pick(languagePrefixes(match.interpreterLanguage), need, match.excluded);
    for (const v of picks) this.invite(match, v);
  }

  /** A volunteer became ringable: give them to the oldest call still short of invitations. */
  private ringVolunteer(v: VolunteerRec): void {
    if (v.presence !== 'available' || !v.inHours) return;
    let best: MatchRec | undefined;
    for (const [lang, set] of this.awaiting) {
      if (!v.tags.some((t) => serves(t, lang))) continue;
      for (const m of set) {
        if (m.invitations.size < this.ctx.ringBatch && !m.excluded.has(v.id)) {
          if (best === undefined || m.seq < best.seq) best = m;
          break;
        }
      }
    }
    if (best !== undefined) this.invite(best, v);
  }

  private invite(match: MatchRec, v: VolunteerRec): void {
    const inv: InvitationRec = {
      id: `inv-${++this.seq}`,
      volunteer: v,
      match,
      language: match.interpreterLanguage,
      expiresAt: this.ctx.now() + this.ctx.invitationTimeoutMs,
      active: true,
    };
    this.invitations.set(inv.id, inv);
    match.invitations.add(inv);
    this.ctx.changeVolunteer(v, () => {
      v.presence = 'invited';
      v.invitation = inv;
    });
    this.ctx.scheduleExpiry(inv);
    this.ctx.emit({
      type: 'invitation',
      invitationId: inv.id,
      volunteerId: v.id,
      matchId: match.id,
      language: inv.language,
      expiresAt: inv.expiresAt,
    });
  }

  private close(
    inv: InvitationRec,
    reason: InvitationEnd,
    next: VolunteerPresence,
    keepIdleOrder = false,
  ): void {
    const v = inv.volunteer;
    inv.active = false;
    this.invitations.delete(inv.id);
    inv.match.invitations.delete(inv);
    this.closed.set(inv.id, v.id, reason);
    this.ctx.changeVolunteer(
      v,
      () => {
        v.invitation = null;
        v.presence = next;
      },
      keepIdleOrder,
    );
  }
}
