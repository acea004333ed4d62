import type { Role } from '../../../common/protocol';
import type { GraceTimers } from './GraceTimers';
import type { AttendancePort } from './ports';
import type { Session } from './Session';

/** What losing a participant of each role means for the call. */
export type LostHandlers = Record<Role, (session: Session, participantId: string) => void>;

/**
 * Who must show up in each call: a participant who has not joined (or come back) when their wait
 * lapses is lost. A caller lost ends the call (a caller who never came is a no-show); an agent
 * lost puts the caller back in line; an interpreter lost leaves the call and other volunteers are rung.
 */
export class Attendance implements AttendancePort {
  constructor(
    private readonly timers: GraceTimers,
    private readonly lost: LostHandlers,
  ) {}

  expectJoin(session: Session, participantId: string, withinMs?: number): void {
    this.timers.expect(
      participantId,
      () => {
        const p = session.participant(participantId);
        if (!p || p.connected || session.ended) return;
        this.lost[p.role](session, participantId);
      },
      withinMs,
    );
  }

  arrived(participantId: string): void {
    this.timers.arrived(participantId);
  }

  /** Joined on a socket (first time or back after a blip). */
  joined(session: Session, participantId: string): void {
    this.arrived(participantId);
    session.setConnected(participantId, true);
  }

  /** Their last socket went away: the grace period to come back starts. */
  dropped(session: Session, participantId: string): void {
    session.setConnected(participantId, false);
    if (!session.ended) this.expectJoin(session, participantId);
  }
}
