import type { Participant, Session } from './Session';

/** Finds live sessions by id or lobby match, and participants by their join token. */
export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();
  readonly #byMatch = new Map<string, Session>();
  readonly #byToken = new Map<string, { session: Session; participant: Participant }>();

  /** Tracks the session, and its participants as they are added or removed, until it ends. */
  add(session: Session): void {
    this.#sessions.set(session.id, session);
    this.#byMatch.set(session.matchId, session);
    for (const p of session.participants) this.#byToken.set(p.token, { session, participant: p });
    session.on('participant-added', (p) => this.#byToken.set(p.token, { session, participant: p }));
    session.on('participant-removed', (p) => this.#byToken.delete(p.token));
    session.once('ended', () => {
      this.#sessions.delete(session.id);
      this.#byMatch.delete(session.matchId);
      for (const p of session.participants) this.#byToken.delete(p.token);
    });
  }

  byToken(token: string): { session: Session; participant: Participant } | undefined {
    return this.#byToken.get(token);
  }

  byMatch(matchId: string): Session | undefined {
    return this.#byMatch.get(matchId);
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
