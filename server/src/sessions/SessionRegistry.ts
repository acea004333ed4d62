import type { Session, Participant } from './Session';

/** Finds live sessions by id and participants by their join token. */
export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();
  readonly #byToken = new Map<string, { session: Session; participant: Participant }>();

  add(session: Session): void {
    this.#sessions.set(session.id, session);
    for (const p of session.participants) this.#byToken.set(p.token, { session, participant: p });
    session.once('ended', () => {
      this.#sessions.delete(session.id);
      for (const p of session.participants) this.#byToken.delete(p.token);
    });
  }

  /** Registers a participant added after the session started (an interpreter). */
  addParticipant(session: Session, participant: Participant): void {
    this.#byToken.set(participant.token, { session, participant });
  }

  byToken(token: string): { session: Session; participant: Participant } | undefined {
    return this.#byToken.get(token);
  }

  get(sessionId: string): Session | undefined {
    return this.#sessions.get(sessionId);
  }

  get size(): number {
    return this.#sessions.size;
  }

  all(): Session[] {
    return [...this.#sessions.values()];
  }
}
