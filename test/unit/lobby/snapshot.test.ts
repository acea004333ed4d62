// Snapshots are exact: a lobby restored from a JSON round trip of `snapshotState()` answers every later
// command, tick and read exactly as the original does. Random command sequences (as in
// properties.test.ts) build a state, a snapshot is taken at a random point, and the same random
// continuation is applied to both lobbies, compared after every step. Plus the refusals of bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommand, Lobby, LOBBY_SNAPSHOT_VERSION } from '../../../server/src/lobby';
import type {
  ChosenAwayReason,
  FallbackChoice,
  LobbyCommand,
  LobbyConfig,
  LobbyEvent,
  LobbyResult,
  LobbyStateSnapshot,
  WeeklyHours,
} from '../../../server/src/lobby';
import { agentOn, ALL_WEEK, call, MONDAY_10_KST, takeOffer, volunteerOn } from './helpers';

const AGENT_LANGS = [['ko'], ['ko', 'kvk'], ['ko', 'en'], ['kvk'], ['ase', 'en'], ['zh-Hant', 'ko'], ['vi']];
const AGENT_IDS = 8; // a0…a7: a6 and a7 only exist once an upsert creates them
const VOLUNTEER_LANGS = [['vi'], ['en'], ['kvk'], ['zh'], ['mn', 'vi'], ['ase']];
const VOLUNTEER_IDS = 6;
// vi, mn and zh-CN have no agent of their own: they are bridged when a volunteer is free.
const CALLER_LANGS = ['ko', 'ko', 'kvk', 'ase', 'en', 'vi', 'vi', 'mn', 'zh-Hant-TW', 'zh-CN', 'jsl', 'th'];
/** Enough distinct tags to push the lobby past its 128 caller classes, so empty ones are pruned. */
const MANY_LANGS = [
  ...CALLER_LANGS,
  ...Array.from(
    { length: 160 },
    (_, i) => `en-${String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26))}`,
  ),
];
const INTERPRETER_LANGS = [undefined, 'en', 'vi', 'kvk', 'zh-Hant'];
const SHIFTS = [undefined, 'day', 'night'];
// Monday 10:00 in Seoul at the start: windows that open and close within minutes or hours of it.
const HOURS: WeeklyHours[][] = [
  ALL_WEEK,
  [{ day: 1, start: '10:05', end: '10:20' }],
  [
    { day: 1, start: '09:00', end: '10:10' },
    { day: 1, start: '10:30', end: '12:00' },
  ],
  [{ day: 1, start: '11:00', end: '13:00' }],
  [],
];

/** Which of HOURS each volunteer starts with. */
const INITIAL_HOURS = [0, 1, 2, 0, 3, 0];

type Presence = 'available' | 'away' | 'offline';

/** An abstract step: indices are resolved against the original lobby's state at the time. */
type Op =
  | { k: 'arrive'; lang: number; text: boolean; head: boolean }
  | { k: 'cancel'; i: number; abandoned: boolean }
  | { k: 'agent'; i: number; presence: Presence; reason: ChosenAwayReason | undefined }
  | { k: 'upsertAgent'; i: number; langs: number; shift: number }
  | { k: 'accept'; i: number }
  | { k: 'decline'; i: number }
  | { k: 'lateOffer'; i: number; accept: boolean }
  | { k: 'end'; i: number }
  | { k: 'wrap'; i: number }
  | { k: 'resume'; i: number }
  | { k: 'requeue'; i: number }
  | { k: 'volunteer'; i: number; presence: Presence }
  | { k: 'upsertVolunteer'; i: number; langs: number; hours: number }
  | { k: 'acceptInv'; i: number }
  | { k: 'declineInv'; i: number }
  | { k: 'lateInv'; i: number; accept: boolean }
  | { k: 'interp'; i: number; lang: number }
  | { k: 'interpLeft'; i: number }
  | { k: 'cancelSearch'; i: number }
  | { k: 'fallback'; i: number; choice: FallbackChoice }
  | { k: 'bogus'; n: number }
  | { k: 'advance'; ms: number; tick: boolean }
  | { k: 'jump'; ms: number }
  | { k: 'deadline' }
  | { k: 'flush' }
  | { k: 'resnap' };

const i = fc.nat({ max: 40 });
const presence = fc.constantFrom<Presence>('available', 'available', 'away', 'offline');
/** Away with or without a reason; away again with another one changes the reason alone. */
const awayReason = fc.constantFrom<ChosenAwayReason | undefined>(
  undefined,
  'break',
  'meal',
  'after-difficult-call',
);
const bool = fc.boolean();

function ops(languages: readonly string[], arrivalWeight: number): fc.Arbitrary<Op> {
  const r = <T extends object>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
  return fc.oneof(
    r(
      arrivalWeight,
      fc.record({
        k: fc.constant('arrive' as const),
        lang: fc.nat({ max: languages.length - 1 }),
        text: fc.nat({ max: 5 }).map((n) => n === 0),
        head: fc.nat({ max: 6 }).map((n) => n === 0),
      }),
    ),
    r(2, fc.record({ k: fc.constant('cancel' as const), i, abandoned: bool })),
    r(3, fc.record({ k: fc.constant('agent' as const), i, presence, reason: awayReason })),
    r(
      1,
      fc.record({
        k: fc.constant('upsertAgent' as const),
        i,
        langs: fc.nat({ max: AGENT_LANGS.length - 1 }),
        shift: fc.nat({ max: SHIFTS.length - 1 }),
      }),
    ),
    r(5, fc.record({ k: fc.constant('accept' as const), i })),
    r(1, fc.record({ k: fc.constant('decline' as const), i })),
    r(1, fc.record({ k: fc.constant('lateOffer' as const), i, accept: bool })),
    r(3, fc.record({ k: fc.constant('end' as const), i })),
    r(2, fc.record({ k: fc.constant('wrap' as const), i })),
    r(1, fc.record({ k: fc.constant('resume' as const), i })),
    r(1, fc.record({ k: fc.constant('requeue' as const), i })),
    r(2, fc.record({ k: fc.constant('volunteer' as const), i, presence })),
    r(
      1,
      fc.record({
        k: fc.constant('upsertVolunteer' as const),
        i,
        langs: fc.nat({ max: VOLUNTEER_LANGS.length - 1 }),
        hours: fc.nat({ max: HOURS.length - 1 }),
      }),
    ),
    r(3, fc.record({ k: fc.constant('acceptInv' as const), i })),
    r(1, fc.record({ k: fc.constant('declineInv' as const), i })),
    r(1, fc.record({ k: fc.constant('lateInv' as const), i, accept: bool })),
    r(
      1,
      fc.record({
        k: fc.constant('interp' as const),
        i,
        lang: fc.nat({ max: INTERPRETER_LANGS.length - 1 }),
      }),
    ),
    r(1, fc.record({ k: fc.constant('interpLeft' as const), i })),
    r(1, fc.record({ k: fc.constant('cancelSearch' as const), i })),
    r(
      1,
      fc.record({
        k: fc.constant('fallback' as const),
        i,
        choice: fc.constantFrom<FallbackChoice>('wait', 'text', 'callback'),
      }),
    ),
    r(1, fc.record({ k: fc.constant('bogus' as const), n: fc.nat({ max: 5 }) })),
    r(
      4,
      fc.record({ k: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 45_000 }), tick: bool }),
    ),
    r(1, fc.record({ k: fc.constant('jump' as const), ms: fc.integer({ min: 60_000, max: 3 * 3_600_000 }) })),
    r(3, fc.constant({ k: 'deadline' as const })),
    r(1, fc.constant({ k: 'flush' as const })),
  );
}

/** What is applied to both lobbies: a command, or time moving (with or without a tick), or a flush. */
type Step =
  | { kind: 'command'; command: LobbyCommand }
  | { kind: 'clock'; ms: number; tick: boolean }
  | { kind: 'deadline' }
  | { kind: 'flush' };

interface Run {
  clock: { now: number };
  languages: readonly string[];
  callers: number;
  /** Offers and invitations ever made, so late answers to closed ones can be replayed. */
  offers: Array<{ offerId: string; agentId: string }>;
  invitations: Array<{ invitationId: string; volunteerId: string }>;
}

const pick = <T>(xs: readonly T[], n: number): T | undefined =>
  xs.length === 0 ? undefined : xs[n % xs.length];
const cmd = (command: LobbyCommand): Step => ({ kind: 'command', command });

/** Turns an abstract op into a concrete step using the (original) lobby's state; undefined without a target. */
function resolve(op: Op, lobby: Lobby, run: Run): Step | undefined {
  const s = lobby.inspect();
  switch (op.k) {
    case 'arrive': {
      const language = run.languages[op.lang] as string;
      const input = {
        callerId: `c${run.callers++}`,
        language,
        mode: op.text ? ('text' as const) : ('video' as const),
        ...(op.head ? { priority: 'head' as const } : {}),
      };
      return cmd({ op: 'enqueueCaller', args: [input] });
    }
    case 'cancel': {
      const q = pick(s.queue, op.i);
      return q && cmd({ op: 'cancelCaller', args: [q.callerId, op.abandoned ? 'abandoned' : 'cancelled'] });
    }
    case 'agent': {
      const a = pick(s.agents, op.i);
      if (a === undefined) return undefined;
      return op.presence === 'away' && op.reason !== undefined
        ? cmd({ op: 'setAgentPresence', args: [a.agentId, 'away', op.reason] })
        : cmd({ op: 'setAgentPresence', args: [a.agentId, op.presence] });
    }
    case 'upsertAgent': {
      const shift = SHIFTS[op.shift];
      const input = {
        agentId: `a${op.i % AGENT_IDS}`,
        languages: AGENT_LANGS[op.langs] as string[],
        ...(shift === undefined ? {} : { shift }),
      };
      return cmd({ op: 'upsertAgent', args: [input] });
    }
    case 'accept':
    case 'decline': {
      const o = pick(s.offers, op.i);
      return (
        o && cmd({ op: op.k === 'accept' ? 'acceptOffer' : 'declineOffer', args: [o.agentId, o.offerId] })
      );
    }
    case 'lateOffer': {
      const o = pick(run.offers, op.i);
      return o && cmd({ op: op.accept ? 'acceptOffer' : 'declineOffer', args: [o.agentId, o.offerId] });
    }
    case 'end':
    case 'requeue':
    case 'cancelSearch': {
      const m = pick(s.matches, op.i);
      const name =
        op.k === 'end' ? 'endMatch' : op.k === 'requeue' ? 'requeueCaller' : 'cancelInterpreterSearch';
      return m && cmd({ op: name, args: [m.matchId] });
    }
    case 'wrap': {
      const a = pick(
        s.agents.filter((x) => x.presence === 'wrap-up'),
        op.i,
      );
      return a && cmd({ op: 'finishWrapUp', args: [a.agentId] });
    }
    case 'resume': {
      const a = pick(s.agents, op.i);
      return a && cmd({ op: 'resumeWrapUp', args: [a.agentId] });
    }
    case 'volunteer': {
      const v = pick(s.volunteers, op.i);
      return v && cmd({ op: 'setVolunteerPresence', args: [v.volunteerId, op.presence] });
    }
    case 'upsertVolunteer': {
      const input = {
        volunteerId: `v${op.i % VOLUNTEER_IDS}`,
        languages: VOLUNTEER_LANGS[op.langs] as string[],
        weeklyHours: HOURS[op.hours] as WeeklyHours[],
      };
      return cmd({ op: 'upsertVolunteer', args: [input] });
    }
    case 'acceptInv':
    case 'declineInv': {
      const inv = pick(s.invitations, op.i);
      const name = op.k === 'acceptInv' ? 'acceptInvitation' : 'declineInvitation';
      return inv && cmd({ op: name, args: [inv.volunteerId, inv.invitationId] });
    }
    case 'lateInv': {
      const inv = pick(run.invitations, op.i);
      const name = op.accept ? 'acceptInvitation' : 'declineInvitation';
      return inv && cmd({ op: name, args: [inv.volunteerId, inv.invitationId] });
    }
    case 'interp': {
      const m = pick(s.matches, op.i);
      const lang = INTERPRETER_LANGS[op.lang];
      return (
        m && cmd({ op: 'requestInterpreter', args: lang === undefined ? [m.matchId] : [m.matchId, lang] })
      );
    }
    case 'interpLeft': {
      const withInterpreter = s.matches.filter((m) => m.interpreterId !== null);
      const m = pick(withInterpreter.length > 0 ? withInterpreter : s.matches, op.i);
      return m && cmd({ op: 'interpreterLeft', args: [m.matchId] });
    }
    case 'fallback': {
      const q = pick(s.queue, op.i);
      return q && cmd({ op: 'chooseFallback', args: [q.callerId, op.choice] });
    }
    case 'bogus': {
      // Refused commands must be refused alike (same code, same message) and change nothing.
      const someone = s.queue[0]?.callerId ?? 'c0';
      const bad: LobbyCommand[] = [
        { op: 'enqueueCaller', args: [{ callerId: someone, language: 'ko', mode: 'video' }] },
        { op: 'enqueueCaller', args: [{ callerId: 'x', language: 'not a tag!', mode: 'video' }] },
        { op: 'acceptOffer', args: ['a0', 'offer-999999'] },
        { op: 'endMatch', args: ['match-999999'] },
        { op: 'setAgentPresence', args: ['a0', 'busy' as Presence] },
        { op: 'setAgentPresence', args: ['a0', 'away', 'missed-offers' as ChosenAwayReason] },
        { op: 'acceptInvitation', args: ['v0', 'inv-999999'] },
      ];
      return cmd(bad[op.n % bad.length] as LobbyCommand);
    }
    case 'advance':
      return { kind: 'clock', ms: op.ms, tick: op.tick };
    case 'jump':
      return { kind: 'clock', ms: op.ms, tick: true };
    case 'deadline':
      return { kind: 'deadline' };
    case 'flush':
      return { kind: 'flush' };
    case 'resnap':
      return undefined; // handled by the continuation loop
  }
}

/** Applies a step to one lobby; the clock is moved by the caller (shared by both lobbies). */
function apply(lobby: Lobby, step: Step): LobbyResult<unknown> | LobbyEvent[] {
  switch (step.kind) {
    case 'command':
      return applyCommand(lobby, step.command);
    case 'clock':
    case 'deadline':
      return lobby.tick();
    case 'flush':
      return lobby.flushPositions();
  }
}

/** Moves the shared clock for a step (before it is applied to either lobby). */
function moveClock(step: Step, lobby: Lobby, run: Run): void {
  if (step.kind === 'clock') run.clock.now += step.ms;
  if (step.kind === 'deadline')
    run.clock.now = Math.max(run.clock.now, lobby.nextDeadline() ?? run.clock.now);
}

function remember(outcome: LobbyResult<unknown> | LobbyEvent[], run: Run): void {
  const events = Array.isArray(outcome) ? outcome : outcome.ok ? outcome.events : [];
  for (const e of events) {
    if (e.type === 'offer') run.offers.push({ offerId: e.offerId, agentId: e.agentId });
    if (e.type === 'invitation')
      run.invitations.push({ invitationId: e.invitationId, volunteerId: e.volunteerId });
  }
}

/** Every read the driver and the supervisor have, for every id ever used, and the state itself. */
function reads(lobby: Lobby, run: Run) {
  return {
    inspect: lobby.inspect(),
    snapshot: lobby.snapshot(),
    nextDeadline: lobby.nextDeadline(),
    currentShift: lobby.currentShift(),
    agents: Array.from({ length: AGENT_IDS }, (_, n) => lobby.agentView(`a${n}`)),
    volunteers: Array.from({ length: VOLUNTEER_IDS }, (_, n) => lobby.volunteerView(`v${n}`)),
    callers: Array.from({ length: run.callers }, (_, n) => lobby.callerView(`c${n}`)),
    state: lobby.snapshotState(),
  };
}

/**
 * Compared as JSON text, which also holds key order (the per-language counts come out in the order
 * languages were first seen); a mismatch is compared again structurally for a readable diff.
 */
function expectSameReads(restored: Lobby, original: Lobby, run: Run): void {
  const expected = reads(original, run);
  const actual = reads(restored, run);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    expect(actual).toStrictEqual(expected);
    expect.fail('the same reads, but not in the same key order');
  }
}

const roundTrip = (s: LobbyStateSnapshot): unknown => JSON.parse(JSON.stringify(s)) as unknown;

interface Case {
  config: Partial<LobbyConfig>;
  /** Everyone signs in before the random part (else they start offline). */
  staffOn: boolean;
  prefix: Op[];
  continuation: Op[];
  passConfig: boolean;
}

/** Extra set-up before the random prefix; `step` applies a step to the original. */
type Warmup = (lobby: Lobby, run: Run, step: (s: Step) => void) => void;

function checkCase(c: Case, languages: readonly string[], warmup?: Warmup): void {
  const run: Run = { clock: { now: MONDAY_10_KST }, languages, callers: 0, offers: [], invitations: [] };
  const clock = () => run.clock.now;
  const original = new Lobby(c.config, clock);
  const step = (s: Step): void => {
    moveClock(s, original, run);
    remember(apply(original, s), run);
  };
  AGENT_LANGS.slice(0, 6).forEach((languages, n) =>
    step(cmd({ op: 'upsertAgent', args: [{ agentId: `a${n}`, languages }] })),
  );
  VOLUNTEER_LANGS.forEach((languages, n) => {
    const weeklyHours = HOURS[INITIAL_HOURS[n] ?? 0] as WeeklyHours[];
    step(cmd({ op: 'upsertVolunteer', args: [{ volunteerId: `v${n}`, languages, weeklyHours }] }));
  });
  if (c.staffOn) {
    for (let n = 0; n < 6; n++) step(cmd({ op: 'setAgentPresence', args: [`a${n}`, 'available'] }));
    for (let n = 0; n < VOLUNTEER_IDS; n++)
      step(cmd({ op: 'setVolunteerPresence', args: [`v${n}`, 'available'] }));
  }
  warmup?.(original, run, step);
  // The prefix reads nothing but inspect(): a snapshot may then catch a competition graph still due
  // for its rebuild (callerView would rebuild it), which must carry over as well.
  for (const op of c.prefix) {
    const s = resolve(op, original, run);
    if (s !== undefined) step(s);
  }

  const snap = original.snapshotState();
  expect(snap.version).toBe(LOBBY_SNAPSHOT_VERSION);
  const wire = roundTrip(snap);
  expect(wire, 'plain JSON data').toStrictEqual(snap);
  let restored = Lobby.restore(wire, c.passConfig ? c.config : undefined, clock);
  expect(restored.snapshotState()).toStrictEqual(snap);
  expectSameReads(restored, original, run);

  for (const op of c.continuation) {
    if (op.k === 'resnap') {
      // A snapshot of the restored lobby serves as well as one of the original.
      restored = Lobby.restore(roundTrip(restored.snapshotState()), undefined, clock);
    } else {
      const s = resolve(op, original, run);
      if (s === undefined) continue;
      moveClock(s, original, run);
      const expected = apply(original, s);
      const actual = apply(restored, s);
      expect(actual, `after ${JSON.stringify(s)}`).toStrictEqual(expected);
      remember(expected, run);
    }
    expectSameReads(restored, original, run);
  }
}

const configs: fc.Arbitrary<Partial<LobbyConfig>> = fc.record({
  offerTimeoutMs: fc.constantFrom(20_000, 5_000),
  maxMissedOffers: fc.constantFrom(1, 3),
  volunteerRingBatch: fc.constantFrom(1, 3),
  invitationTimeoutMs: fc.constantFrom(30_000, 10_000),
  fallbackAfterMs: fc.constantFrom(180_000, 40_000),
  estimateStepMs: fc.constantFrom(30_000, 0),
  // Batched queue-position events in about half the runs.
  positionUpdateIntervalMs: fc.constantFrom(0, 0, 1_000, 7_000),
  waitEstimator: fc.constantFrom('adaptive' as const, 'adaptive' as const, 'basic' as const),
});

/** `size: 'max'`: lengths spread over the whole range (fast-check's default keeps arrays short). */
function cases(
  op: fc.Arbitrary<Op>,
  [prefixMin, prefixMax]: [number, number],
  [continuationMin, continuationMax]: [number, number],
): fc.Arbitrary<Case> {
  const continuationOp = fc.oneof(
    { weight: 30, arbitrary: op },
    { weight: 1, arbitrary: fc.constant({ k: 'resnap' as const }) },
  );
  return fc.record({
    config: configs,
    staffOn: fc.nat({ max: 3 }).map((n) => n > 0),
    prefix: fc.array(op, { minLength: prefixMin, maxLength: prefixMax, size: 'max' }),
    continuation: fc.array(continuationOp, {
      minLength: continuationMin,
      maxLength: continuationMax,
      size: 'max',
    }),
    passConfig: fc.boolean(),
  });
}

const runs = (n: number): number =>
  Math.max(1, Math.round(n * Number(process.env.LOBBY_SNAPSHOT_RUN_SCALE ?? 1)));
// Generous per-test timeout for slow shared machines.
const TIMEOUT = { timeout: Number(process.env.LOBBY_PROPERTY_TIMEOUT ?? 120_000) };

describe('lobby snapshots are exact', () => {
  it('a restored lobby continues exactly like the original (random sequences)', TIMEOUT, () => {
    fc.assert(
      fc.property(cases(ops(CALLER_LANGS, 6), [0, 60], [1, 60]), (c) => checkCase(c, CALLER_LANGS)),
      { numRuns: runs(240) },
    );
  });

  it('and after long sequences (hundreds of steps on each side)', TIMEOUT, () => {
    fc.assert(
      fc.property(cases(ops(CALLER_LANGS, 6), [150, 400], [100, 250]), (c) => checkCase(c, CALLER_LANGS)),
      { numRuns: runs(40) },
    );
  });

  it('and with more languages than the lobby keeps classes for (pruning)', TIMEOUT, () => {
    // Someone goes into a call, then 140 one-off languages come and go: the lobby passes its 128
    // classes and prunes the empty ones (that caller's among them), and keeps pruning in the run.
    const warmup: Warmup = (lobby, run, step) => {
      step(cmd({ op: 'upsertAgent', args: [{ agentId: 'a6', languages: ['en'] }] }));
      step(cmd({ op: 'setAgentPresence', args: ['a6', 'available'] }));
      const first = { callerId: `c${run.callers++}`, language: 'en-ZZ', mode: 'video' as const };
      step(cmd({ op: 'enqueueCaller', args: [first] }));
      for (const o of lobby.inspect().offers) step(cmd({ op: 'acceptOffer', args: [o.agentId, o.offerId] }));
      for (const language of MANY_LANGS.slice(-140)) {
        const callerId = `c${run.callers++}`;
        step(cmd({ op: 'enqueueCaller', args: [{ callerId, language, mode: 'video' }] }));
        step(cmd({ op: 'cancelCaller', args: [callerId] }));
      }
    };
    fc.assert(
      fc.property(cases(ops(MANY_LANGS, 20), [0, 150], [20, 100]), (c) => checkCase(c, MANY_LANGS, warmup)),
      { numRuns: runs(20) },
    );
  });
});

describe('restore refuses bad snapshots', () => {
  const clock = () => MONDAY_10_KST;

  /** A small busy state: a call, an offer, an invitation, someone waiting. */
  function busySnapshot(): LobbyStateSnapshot {
    const lobby = new Lobby({}, clock);
    agentOn(lobby, 'a1', ['ko']);
    agentOn(lobby, 'a2', ['ko']);
    volunteerOn(lobby, 'v1', ['vi']);
    call(lobby, 'c1', 'vi');
    takeOffer(lobby, 'a1');
    call(lobby, 'c2', 'ko');
    call(lobby, 'c3', 'ko');
    return JSON.parse(JSON.stringify(lobby.snapshotState())) as LobbyStateSnapshot;
  }

  const restoring = (state: unknown, config?: Partial<LobbyConfig>) => () =>
    Lobby.restore(state, config, clock);

  it('round-trips a lobby that has seen nothing yet', () => {
    const fresh = roundTrip(new Lobby({}, clock).snapshotState());
    expect(Lobby.restore(fresh, undefined, clock).snapshotState()).toStrictEqual(fresh);
  });

  it('round-trips a busy state', () => {
    const snap = busySnapshot();
    expect(snap.offers.open).toHaveLength(1);
    expect(snap.interpreters.invitations).toHaveLength(1);
    expect(Lobby.restore(snap, undefined, clock).snapshotState()).toStrictEqual(snap);
  });

  it('refuses another version, or none', () => {
    // Version 1 kept long-wait deadlines without their caller's token; 2, agents without a reason to be away; 3, no learnt patience.
    for (const version of [1, 2, 3]) {
      expect(restoring({ ...busySnapshot(), version })).toThrow(
        new RangeError(
          `lobby snapshot: version ${version} is not supported (this lobby reads version ${LOBBY_SNAPSHOT_VERSION})`,
        ),
      );
    }
    expect(restoring({ ...busySnapshot(), version: '2' })).toThrow(TypeError);
    const { version: _, ...unversioned } = busySnapshot();
    expect(restoring(unversioned)).toThrow(/version must be a number/);
    expect(restoring(null)).toThrow(TypeError);
    expect(restoring([])).toThrow(TypeError);
  });

  it('refuses missing fields, wrong types and unknown fields, naming where', () => {
    const { line: _, ...noLine } = busySnapshot();
    expect(restoring(noLine)).toThrow(
      new TypeError('lobby snapshot: line: Invalid input: expected object, received undefined'),
    );
    const wrongType = busySnapshot() as unknown as { agents: { list: Array<{ presence: unknown }> } };
    (wrongType.agents.list[0] as { presence: unknown }).presence = 'busy';
    expect(restoring(wrongType)).toThrow(/^lobby snapshot: agents\.list\[0\]\.presence: /);
    const extra = { ...busySnapshot(), surprise: true };
    expect(restoring(extra)).toThrow(TypeError);
    const noSeq = busySnapshot() as unknown as { offers: { seq?: number } };
    delete noSeq.offers.seq;
    expect(restoring(noSeq)).toThrow(/offers\.seq/);
    const fewBands = busySnapshot();
    fewBands.patience.bands.pop();
    expect(restoring(fewBands)).toThrow(/^lobby snapshot: patience\.bands: /);
    const negative = busySnapshot();
    (negative.patience.total as { waitedMs: number }).waitedMs = -1;
    expect(restoring(negative)).toThrow(/^lobby snapshot: patience\.total\.waitedMs: /);
  });

  it('keeps the reason an agent is away, and refuses one that is unknown or on an agent not away', () => {
    const lobby = new Lobby({}, clock);
    agentOn(lobby, 'a1', ['ko']);
    agentOn(lobby, 'a2', ['ko']);
    lobby.setAgentPresence('a1', 'away', 'meeting');
    const snap = roundTrip(lobby.snapshotState()) as LobbyStateSnapshot;
    expect(snap.agents.list.map((a) => a.awayReason)).toEqual(['meeting', null]);
    expect(Lobby.restore(snap, undefined, clock).agentView('a1')).toEqual({
      presence: 'away',
      reason: 'meeting',
    });
    const unknown = roundTrip(snap) as unknown as { agents: { list: Array<{ awayReason: unknown }> } };
    (unknown.agents.list[0] as { awayReason: unknown }).awayReason = 'nap';
    expect(restoring(unknown)).toThrow(/^lobby snapshot: agents\.list\[0\]\.awayReason: /);
    const notAway = roundTrip(snap) as LobbyStateSnapshot;
    (notAway.agents.list[1] as { awayReason: unknown }).awayReason = 'break';
    expect(restoring(notAway)).toThrow(
      new RangeError('lobby snapshot: agents.list[1]: a reason to be away, but available'),
    );
  });

  it('refuses references to what is not there', () => {
    const unknownAgent = busySnapshot();
    (unknownAgent.offers.open[0] as { agentId: string }).agentId = 'ghost';
    expect(restoring(unknownAgent)).toThrow(
      new RangeError("lobby snapshot: offers.open[0].agentId 'ghost' names no agent"),
    );
    const unknownCaller = busySnapshot();
    (unknownCaller.offers.open[0] as { callerId: string }).callerId = 'ghost';
    expect(restoring(unknownCaller)).toThrow(/callerId 'ghost' names no caller in line/);
    const noExpiry = busySnapshot();
    noExpiry.deadlines.pending = noExpiry.deadlines.pending.filter((d) => d.kind !== 'offer');
    expect(restoring(noExpiry)).toThrow(/has no expiry in deadlines.pending/);
    const strayInvitation = busySnapshot();
    (strayInvitation.interpreters.invitations[0] as { matchId: string }).matchId = 'match-77';
    expect(restoring(strayInvitation)).toThrow(RangeError);
    const duplicate = busySnapshot();
    duplicate.line.callers.push({
      ...(duplicate.line.callers[0] as LobbyStateSnapshot['line']['callers'][0]),
    });
    expect(restoring(duplicate)).toThrow(/line\.callers\[\d\]: duplicate id 'c2'/);
  });

  it('refuses states the lobby could not be in', () => {
    const offeredButIdle = busySnapshot();
    const agent = offeredButIdle.agents.list.find((a) => a.presence === 'offered');
    if (agent !== undefined) agent.presence = 'available';
    expect(restoring(offeredButIdle)).toThrow(/is available, not offered/);
    const future = busySnapshot();
    future.offers.seq = 0;
    expect(restoring(future)).toThrow(/ahead of its sequence/);
    const badTag = busySnapshot();
    (badTag.line.callers[0] as { language: string }).language = 'KO';
    expect(restoring(badTag)).toThrow(/not a canonical tag/);
  });

  it('runs under the snapshot config, and refuses to run under another', () => {
    const lobby = new Lobby({ offerTimeoutMs: 7_000 }, clock);
    agentOn(lobby, 'a1', ['ko']);
    const snap = roundTrip(lobby.snapshotState());
    expect(Lobby.restore(snap, undefined, clock).config.offerTimeoutMs).toBe(7_000);
    expect(Lobby.restore(snap, { offerTimeoutMs: 7_000 }, clock).config.offerTimeoutMs).toBe(7_000);
    expect(restoring(snap, {})).toThrow(
      new RangeError(
        'lobby snapshot: taken under another config (offerTimeoutMs: snapshot 7000, given 12000)',
      ),
    );
    const invalid = roundTrip(lobby.snapshotState()) as LobbyStateSnapshot;
    invalid.config.offerTimeoutMs = -1;
    expect(restoring(invalid)).toThrow(/its config is invalid \(lobby config: offerTimeoutMs must be > 0\)/);
  });
});
