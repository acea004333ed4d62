// The supervisor's view of the line, read from `/api/supervisor/overview` through the balancer (a
// sign-in made on one node is good on every node: sessions are shared through Redis).
import { TEST_PASSWORD } from '../helpers/testApp';
import { SUPERVISOR } from './ChaosCluster';

export class SupervisorView {
  #cookie: string | null = null;

  constructor(readonly baseUrl: string) {}

  /** Callers in line for `language` as the lobby (on whichever node answered) counts them; null if no node answered. */
  async waitingFor(language: string): Promise<number | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        this.#cookie ??= await this.#signIn();
        const res = await fetch(`${this.baseUrl}/api/supervisor/overview`, {
          headers: { cookie: this.#cookie },
          signal: AbortSignal.timeout(3000),
        });
        if (res.status === 401) {
          this.#cookie = null;
          continue;
        }
        if (!res.ok) continue;
        const overview = (await res.json()) as { callersByLanguage: Record<string, { waiting: number }> };
        return overview.callersByLanguage[language]?.waiting ?? 0;
      } catch {
        this.#cookie = null;
      }
    }
    return null;
  }

  async #signIn(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: SUPERVISOR, password: TEST_PASSWORD }),
      signal: AbortSignal.timeout(3000),
    });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!res.ok || !cookie) throw new Error(`supervisor sign-in: ${res.status}`);
    return cookie;
  }
}
