// Test plumbing for the cluster: flushing promise chains on a fake clock, a node whose process can
// be paused, a network link that can be cut, and a snapshot codec that is honest about what it does.
import { z } from 'zod';
import { Lobby, LOBBY_COMMANDS } from '../../../server/src/lobby';
import { applyEntry } from '../../../server/src/cluster/applyEntry';
import type { Clock, LobbyConfig } from '../../../server/src/lobby';
import type { LogEntry } from '../../../server/src/cluster/CommandLog';
import type { LobbyStateCodec } from '../../../server/src/cluster/LobbyStateCodec';
import type { Scheduler, Timer } from '../../../server/src/util/scheduler';
import type { FakeScheduler } from '../../helpers/FakeScheduler';

/** Lets every pending promise continuation run (in-process stores answer in microtasks). */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Moves the fake clock forward in small steps, letting async work run between them, as real time
 * would (a lease renewal sent at 1 s is answered before 1.1 s, not after the whole jump).
 */
export async function advance(clock: FakeScheduler, ms: number, stepMs = 100): Promise<void> {
  await settle();
  for (let left = ms; left > 0; left -= stepMs) {
    clock.advance(Math.min(stepMs, left));
    await settle();
  }
  if (ms === 0) {
    clock.advance(0);
    await settle();
  }
}

/**
 * One node's view of the shared clock whose process can be frozen (a long GC pause, SIGSTOP): while
 * paused, its timers that fall due are held and run, late, when it resumes.
 */
export class PausableScheduler implements Scheduler {
  #paused = false;
  #held: Array<{ fn: () => void; cancelled: () => boolean }> = [];

  constructor(private readonly base: Scheduler) {}

  now = (): number => this.base.now();

  get paused(): boolean {
    return this.#paused;
  }

  after(ms: number, fn: () => void): Timer {
    let cancelled = false;
    const timer = this.base.after(ms, () => {
      if (this.#paused) this.#held.push({ fn, cancelled: () => cancelled });
      else fn();
    });
    return {
      cancel: () => {
        cancelled = true;
        timer.cancel();
      },
    };
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    const held = this.#held;
    this.#held = [];
    for (const h of held) if (!h.cancelled()) h.fn();
  }
}

/**
 * A network link that can be cut: calls made through `through(store)` while cut wait (in flight)
 * and reach the store only when the link is healed, as a request stuck in a partition would.
 */
export class Link {
  #cut = false;
  #waiting: Array<() => void> = [];

  cut(): void {
    this.#cut = true;
  }

  heal(): void {
    this.#cut = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const go of waiting) go();
  }

  /** How many calls are stuck in the cut link. */
  get inFlight(): number {
    return this.#waiting.length;
  }

  through<T extends object>(store: T): T {
    return new Proxy(store, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (this.#cut) await new Promise<void>((resolve) => this.#waiting.push(resolve));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

const replaySchema = z.strictObject({
  entries: z.array(
    z.union([
      z.strictObject({ now: z.number(), tick: z.literal(true) }),
      z.strictObject({
        now: z.number(),
        command: z.strictObject({ op: z.enum(LOBBY_COMMANDS), args: z.array(z.unknown()) }),
      }),
    ]),
  ),
});

/**
 * A snapshot codec that does not pretend to serialise the lobby: its "state" is the list of every
 * entry applied so far, and restoring replays them into a fresh lobby (time from each entry, then
 * from the replica's clock). Bounded it is not; honest it is. The replicas tell it what they apply
 * (`record`), which is how it knows a lobby's history.
 */
export class ReplayCodec implements LobbyStateCodec {
  readonly #history = new WeakMap<Lobby, LogEntry[]>();
  saves = 0;
  restores = 0;

  constructor(private readonly config: Partial<LobbyConfig> = {}) {}

  record(lobby: Lobby, entry: LogEntry): void {
    const list = this.#history.get(lobby) ?? [];
    list.push(entry);
    this.#history.set(lobby, list);
  }

  save(lobby: Lobby): unknown {
    this.saves += 1;
    // Through JSON, as the log stores it.
    return JSON.parse(JSON.stringify({ entries: this.#history.get(lobby) ?? [] })) as unknown;
  }

  restore(state: unknown, clock: Clock): Lobby {
    this.restores += 1;
    const { entries } = replaySchema.parse(state);
    let replaying: number | null = null;
    const lobby = new Lobby(this.config, () => replaying ?? clock());
    for (const entry of entries as LogEntry[]) {
      replaying = entry.now;
      applyEntry(lobby, entry); // as every replica applies it
    }
    replaying = null;
    this.#history.set(lobby, [...(entries as LogEntry[])]);
    return lobby;
  }
}
