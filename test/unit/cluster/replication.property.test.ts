// The replication property: whatever commands the leader runs, and however time moves (so that its
// timer ticks), every standby that has caught up holds the same lobby as the leader — including
// across a leader change mid-sequence, and for nodes that join late from a snapshot. No entry is
// lost or applied twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LobbyCommand, LobbyConfig, WeeklyHours } from '../../../server/src/lobby';
import type { AppliedEntry } from '../../../server/src/cluster/ReplicatedLobby';
import { ALL_WEEK } from '../lobby/helpers';
import { stateOf, TestCluster, type TestNode } from './cluster';
import { ReplayCodec, settle } from './helpers';

// Short timeouts, so a few seconds of clock cross many deadlines (offers, invitations, fallbacks).
const CONFIG: Partial<LobbyConfig> = {
  offerTimeoutMs: 4_000,
  invitationTimeoutMs: 6_000,
  fallbackAfterMs: 15_000,
  maxMissedOffers: 2,
};
const AGENTS: Array<[string, string[]]> = [
  ['a0', ['ko']],
  ['a1', ['ko', 'kvk']],
  ['a2', ['ko', 'en']],
  ['a3', ['kvk']],
];
// Monday in Seoul: the clock starts at 10:00. Short windows so volunteers' hours start and end.
const MONDAY = (start: string, end: string): WeeklyHours[] => [{ day: 1, start, end }];
const VOLUNTEERS: Array<[string, string[], WeeklyHours[]]> = [
  ['v0', ['vi'], ALL_WEEK],
  ['v1', ['en', 'vi'], MONDAY('10:00', '10:02')],
  ['v2', ['kvk'], MONDAY('10:01', '10:04')],
];
const CALLER_LANGS = ['ko', 'ko', 'kvk', 'kvk', 'vi', 'en', 'mn'];

type Step =
  | { kind: 'arrive'; lang: number; text: boolean; head: boolean }
  | { kind: 'cancel' | 'accept' | 'decline' | 'end' | 'wrap' | 'resume' | 'requeue'; i: number }
  | { kind: 'acceptInv' | 'declineInv' | 'interp' | 'interpLeft' | 'stopSearch'; i: number }
  | { kind: 'agent' | 'volunteer'; i: number; presence: 'available' | 'away' | 'offline' }
  | { kind: 'fallback'; i: number; choice: 'wait' | 'text' | 'callback' }
  | { kind: 'advance'; ms: number }
  | { kind: 'toDeadline' }
  | { kind: 'leaderChange' }
  | { kind: 'join' };

const i = fc.nat({ max: 20 });
const presence = fc.constantFrom(
  'available' as const,
  'available' as const,
  'away' as const,
  'offline' as const,
);
const on = <K extends string>(kind: K) => fc.constant(kind);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: on('arrive'),
      lang: fc.nat({ max: CALLER_LANGS.length - 1 }),
      text: fc.nat({ max: 5 }).map((n) => n === 0),
      head: fc.nat({ max: 6 }).map((n) => n === 0),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: on('accept'), i }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('end' as const, 'wrap' as const), i }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('cancel' as const, 'decline' as const, 'requeue' as const, 'resume' as const),
      i,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constantFrom('agent' as const, 'volunteer' as const), i, presence }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'acceptInv' as const,
        'declineInv' as const,
        'interp' as const,
        'interpLeft' as const,
        'stopSearch' as const,
      ),
      i,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: on('fallback'),
      i,
      choice: fc.constantFrom('wait' as const, 'text' as const, 'callback' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: on('advance'), ms: fc.integer({ min: 0, max: 8_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: on('toDeadline') }) },
  { weight: 1, arbitrary: fc.record({ kind: on('leaderChange') }) },
  { weight: 1, arbitrary: fc.record({ kind: on('join') }) },
);

const pick = <T>(xs: readonly T[], n: number): T | undefined =>
  xs.length === 0 ? undefined : xs[n % xs.length];

/** The command a step means in the leader's current state (undefined: nothing to do). */
function commandFor(s: Step, node: TestNode, nextCaller: () => string): LobbyCommand | undefined {
  const view = node.replica.lobby.inspect();
  switch (s.kind) {
    case 'arrive':
      return {
        op: 'enqueueCaller',
        args: [
          {
            callerId: nextCaller(),
            language: CALLER_LANGS[s.lang] as string,
            mode: s.text ? 'text' : 'video',
            priority: s.head ? 'head' : 'normal',
          },
        ],
      };
    case 'cancel': {
      const q = pick(view.queue, s.i);
      return q && { op: 'cancelCaller', args: [q.callerId, s.i % 2 === 0 ? 'cancelled' : 'abandoned'] };
    }
    case 'accept':
    case 'decline': {
      const o = pick(view.offers, s.i);
      return o && { op: s.kind === 'accept' ? 'acceptOffer' : 'declineOffer', args: [o.agentId, o.offerId] };
    }
    case 'end':
    case 'requeue': {
      const m = pick(view.matches, s.i);
      return m && { op: s.kind === 'end' ? 'endMatch' : 'requeueCaller', args: [m.matchId] };
    }
    case 'wrap':
    case 'resume': {
      const a = pick(view.agents, s.i);
      return a && { op: s.kind === 'wrap' ? 'finishWrapUp' : 'resumeWrapUp', args: [a.agentId] };
    }
    case 'agent': {
      const a = pick(AGENTS, s.i);
      return a && { op: 'setAgentPresence', args: [a[0], s.presence] };
    }
    case 'volunteer': {
      const v = pick(VOLUNTEERS, s.i);
      return v && { op: 'setVolunteerPresence', args: [v[0], s.presence] };
    }
    case 'acceptInv':
    case 'declineInv': {
      const inv = pick(view.invitations, s.i);
      const op = s.kind === 'acceptInv' ? 'acceptInvitation' : 'declineInvitation';
      return inv && { op, args: [inv.volunteerId, inv.invitationId] };
    }
    case 'interp': {
      // Without a language the lobby uses the caller's; JSON turns the undefined into null on the way.
      const m = pick(view.matches, s.i);
      return m && { op: 'requestInterpreter', args: [m.matchId, s.i % 2 === 1 ? 'vi' : undefined] };
    }
    case 'interpLeft':
    case 'stopSearch': {
      const m = pick(view.matches, s.i);
      return (
        m && {
          op: s.kind === 'interpLeft' ? 'interpreterLeft' : 'cancelInterpreterSearch',
          args: [m.matchId],
        }
      );
    }
    case 'fallback': {
      const q = pick(view.queue, s.i);
      return q && { op: 'chooseFallback', args: [q.callerId, s.choice] };
    }
    default:
      return undefined;
  }
}

function live(cluster: TestCluster): TestNode[] {
  return [...cluster.nodes.values()].filter((n) => !n.clock.paused);
}

async function expectAllEqual(cluster: TestCluster): Promise<void> {
  const leader = cluster.leader();
  const others = live(cluster).filter((n) => n !== leader);
  await cluster.caughtUp(others);
  const expected = stateOf(leader.replica);
  for (const n of others)
    expect(stateOf(n.replica), `node ${n.id} differs from leader ${leader.id}`).toEqual(expected);
}

/** Leader change: the leader's process freezes for good; a standby takes the lease and leads. */
async function changeLeader(cluster: TestCluster): Promise<void> {
  const old = cluster.leader();
  old.crash();
  for (
    let waited = 0;
    waited < 10_000 && !live(cluster).some((n) => n.replica.role === 'leading');
    waited += 250
  ) {
    await cluster.advance(250);
  }
  expect(cluster.leader()).not.toBe(old);
}

async function runSequence(steps: Step[], standbys: number, snapshotEvery: number | null): Promise<void> {
  const codec = snapshotEvery === null ? undefined : new ReplayCodec(CONFIG);
  const snapshots = codec === undefined || snapshotEvery === null ? {} : { codec, snapshotEvery };
  const cluster = new TestCluster({ config: CONFIG, ...snapshots });
  const ran: LobbyCommand[] = []; // every command whose run() resolved, in order
  let callers = 0;
  let nodes = 0;
  const addNode = () => cluster.addNode(`n${nodes++}`);
  try {
    await addNode();
    for (let k = 0; k < standbys; k++) await addNode();
    const setup: LobbyCommand[] = [
      ...AGENTS.map(([agentId, languages]): LobbyCommand => ({
        op: 'upsertAgent',
        args: [{ agentId, languages }],
      })),
      ...VOLUNTEERS.map(([volunteerId, languages, weeklyHours]): LobbyCommand => ({
        op: 'upsertVolunteer',
        args: [{ volunteerId, languages, weeklyHours }],
      })),
    ];
    for (const c of setup) {
      await cluster.run(c);
      ran.push(c);
    }
    for (const s of steps) {
      if (s.kind === 'advance') await cluster.advance(s.ms);
      else if (s.kind === 'toDeadline') {
        // Exactly to the next deadline, unless it is days away (a volunteer's hours next week).
        const d = cluster.leader().replica.lobby.nextDeadline();
        if (d !== null && d - cluster.base.now() <= 60_000)
          await cluster.advance(Math.max(0, d - cluster.base.now()));
      } else if (s.kind === 'leaderChange') {
        if (live(cluster).length < 2) continue;
        await expectAllEqual(cluster);
        await changeLeader(cluster);
      } else if (s.kind === 'join') {
        if (cluster.nodes.size < 4) await addNode();
      } else {
        const command = commandFor(s, cluster.leader(), () => `c${callers++}`);
        if (command === undefined) continue;
        await cluster.run(command);
        ran.push(command);
      }
    }
    await expectAllEqual(cluster);
    // The frozen old leaders wake: they step down, follow, and end up equal too.
    for (const n of cluster.nodes.values()) if (n.clock.paused) n.wake();
    await settle();
    await cluster.advance(0);
    await expectAllEqual(cluster);
    checkLedger(cluster, ran);
  } finally {
    await cluster.close();
  }
}

/** No entry lost, none applied twice, and every node applied the same thing at each position. */
function checkLedger(cluster: TestCluster, ran: LobbyCommand[]): void {
  const byPosition = new Map<number, AppliedEntry>();
  for (const n of cluster.nodes.values()) {
    const positions = n.applied.map((a) => a.position);
    for (let k = 1; k < positions.length; k++) {
      // Strictly increasing; a jump only where a snapshot was restored (the entries it covers).
      expect(positions[k]).toBeGreaterThan(positions[k - 1] as number);
    }
    for (const a of n.applied) {
      const seen = byPosition.get(a.position);
      if (seen === undefined) byPosition.set(a.position, a);
      else {
        expect(a.entry, `entry ${a.position} on ${n.id}`).toEqual(seen.entry);
        expect(a.events, `events of ${a.position} on ${n.id}`).toEqual(seen.events);
      }
    }
    // Past its last applied entry only by restoring a snapshot (a woken node behind a trim).
    expect(n.replica.position).toBeGreaterThanOrEqual(positions.at(-1) ?? 0);
  }
  const leader = cluster.leader();
  const end = leader.replica.position;
  for (let p = 1; p <= end; p++) expect(byPosition.has(p), `entry ${p} applied somewhere`).toBe(true);
  // Exactly the commands that were run, in order, each once; the rest are the leaders' ticks.
  const logged = [...byPosition.values()]
    .sort((x, y) => x.position - y.position)
    .flatMap((a) => ('command' in a.entry ? [a.entry.command] : []));
  expect(logged).toEqual(ran.map((c) => JSON.parse(JSON.stringify(c)) as unknown));
}

const RUNS = Number(process.env.CLUSTER_PROPERTY_RUNS ?? 80);
const TIMEOUT = { timeout: Number(process.env.CLUSTER_PROPERTY_TIMEOUT ?? 120_000) };

describe('replication property', () => {
  it(
    'standbys equal the leader after any command sequence, through ticks and leader changes',
    TIMEOUT,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 60 }),
          fc.integer({ min: 1, max: 2 }),
          fc.option(fc.integer({ min: 3, max: 12 }), { nil: null }),
          (steps, standbys, snapshotEvery) => runSequence(steps, standbys, snapshotEvery),
        ),
        { numRuns: RUNS },
      );
    },
  );

  it('holds for a busy centre with everyone on duty and a leader change in the middle', TIMEOUT, async () => {
    const busy = fc.array(
      step.filter((s) => s.kind !== 'agent' && s.kind !== 'volunteer' && s.kind !== 'leaderChange'),
      {
        minLength: 10,
        maxLength: 40,
      },
    );
    await fc.assert(
      fc.asyncProperty(busy, busy, (before, after) =>
        runSequence(
          [
            ...AGENTS.map((_, k): Step => ({ kind: 'agent', i: k, presence: 'available' })),
            ...VOLUNTEERS.map((_, k): Step => ({ kind: 'volunteer', i: k, presence: 'available' })),
            ...before,
            { kind: 'leaderChange' },
            ...after,
          ],
          2,
          null,
        ),
      ),
      { numRuns: Math.max(1, Math.round(RUNS / 2)) },
    );
  });
});
