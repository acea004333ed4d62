import { Gauge, type Registry } from 'prom-client';
import type { Server } from 'socket.io';
import type { Lobby } from '../lobby';
import type { Session } from '../sessions/Session';

/** Past this many languages waiting at once, the rest are summed under `other`: a label set stays bounded. */
export const MAX_LANGUAGE_LABELS = 50;

const NAMESPACES = ['caller', 'agent', 'volunteer'] as const;

export interface LiveSources {
  /** The lobby to read now (a cluster's replica may be replaced: read it each time). */
  lobby: () => Pick<Lobby, 'snapshot' | 'longestWaitMs'>;
  /** The calls this node controls. */
  sessions: () => Session[];
  io: Server;
}

/**
 * Gauges read at scrape time from the state that already exists: the lobby's snapshot (its own
 * cheap aggregates), the live sessions and socket.io's namespaces. Nothing is counted twice.
 */
export function registerLiveGauges(registry: Registry, src: LiveSources): void {
  const registers = [registry];
  new Gauge({
    name: 'relay_callers_waiting',
    help: 'Callers in line now (including those being offered and callbacks), by language and mode. The lobby is replicated: in a cluster every node shows the same figures.',
    labelNames: ['language', 'mode'],
    registers,
    collect() {
      this.reset();
      for (const [language, counts] of boundedLanguages(src.lobby().snapshot().callersByLanguage)) {
        this.set({ language, mode: 'video' }, counts.waiting - counts.text);
        this.set({ language, mode: 'text' }, counts.text);
      }
    },
  });
  new Gauge({
    name: 'relay_queue_longest_wait_seconds',
    help: 'How long the caller who has waited longest has been in line now (0 with nobody waiting).',
    registers,
    collect() {
      this.set(src.lobby().longestWaitMs() / 1000);
    },
  });
  new Gauge({
    name: 'relay_offers_pending',
    help: 'Offers waiting for an agent to answer now.',
    registers,
    collect() {
      this.set(src.lobby().snapshot().offersPending);
    },
  });
  const byPresence = (name: string, help: string, read: () => Record<string, number>) =>
    new Gauge({
      name,
      help,
      labelNames: ['presence'],
      registers,
      collect() {
        for (const [presence, n] of Object.entries(read())) this.set({ presence }, n);
      },
    });
  byPresence(
    'relay_agents',
    'Agents known to the lobby, by presence.',
    () => src.lobby().snapshot().agentsByPresence,
  );
  byPresence(
    'relay_volunteers',
    'Volunteer interpreters known to the lobby, by presence.',
    () => src.lobby().snapshot().volunteersByPresence,
  );
  new Gauge({
    name: 'relay_calls_awaiting_interpreter',
    help: 'Calls in progress still looking for a volunteer interpreter.',
    registers,
    collect() {
      this.set(src.lobby().snapshot().matchesAwaitingInterpreter);
    },
  });
  new Gauge({
    name: 'relay_calls_in_progress',
    help: 'Calls in progress on this node (the calls it controls), by mode and interpreter (none, searching, joined).',
    labelNames: ['mode', 'interpreter'],
    registers,
    collect() {
      this.reset();
      for (const mode of ['video', 'text']) this.set({ mode, interpreter: 'none' }, 0);
      for (const s of src.sessions()) {
        if (!s.ended) this.inc({ mode: s.mode, interpreter: s.interpreter.status });
      }
    },
  });
  new Gauge({
    name: 'relay_sockets_connected',
    help: 'Signalling sockets connected to this node, by namespace.',
    labelNames: ['namespace'],
    registers,
    collect() {
      for (const namespace of NAMESPACES) this.set({ namespace }, src.io.of(`/${namespace}`).sockets.size);
    },
  });
}

/** The languages with most callers first, the ones past the limit summed as `other`. */
function boundedLanguages<C extends { waiting: number; text: number }>(
  byLanguage: Record<string, C>,
): Array<[string, { waiting: number; text: number }]> {
  const sorted = Object.entries(byLanguage).sort(([, a], [, b]) => b.waiting - a.waiting);
  if (sorted.length <= MAX_LANGUAGE_LABELS) return sorted;
  const other = { waiting: 0, text: 0 };
  for (const [, c] of sorted.slice(MAX_LANGUAGE_LABELS - 1)) {
    other.waiting += c.waiting;
    other.text += c.text;
  }
  return [...sorted.slice(0, MAX_LANGUAGE_LABELS - 1), ['other', other]];
}
