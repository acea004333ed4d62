// Property-based tests: random command sequences against the real Lobby, with invariants checked
// after every step. See the README ("Tested invariants") for the exact statements.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lobby } from '../../../server/src/lobby';
import type { LobbyEvent, LobbyResult } from '../../../server/src/lobby';
import { serves } from '../../../server/src/lobby/languages';
import { ALL_WEEK, MONDAY_10_KST } from './helpers';

const AGENT_LANGS = [['ko'], ['ko', 'kvk'], ['ko', 'en'], ['kvk']];
const VOLUNTEER_LANGS = [['vi'], ['en'], ['kvk']];
const CALLER_LANGS = ['ko', 'ko', 'kvk', 'en', 'vi', 'mn'];

type Command =
  | { kind: 'arrive'; lang: number; text: boolean; head: boolean }
  | { kind: 'cancel'; i: number }
  | { kind: 'agent'; i: number; presence: 'available' | 'away' | 'offline' }
  | { kind: 'accept'; i: number }
  | { kind: 'decline'; i: number }
  | { kind: 'end'; i: number }
  | { kind: 'wrap'; i: number }
  | { kind: 'requeue'; i: number }
  | { kind: 'volunteer'; i: number; presence: 'available' | 'away' | 'offline' }
  | { kind: 'acceptInv'; i: number }
  | { kind: 'declineInv'; i: number }
  | { kind: 'interp'; i: number }
  | { kind: 'interpLeft'; i: number }
  | { kind: 'fallback'; i: number; choice: 'wait' | 'text' | 'callback' }
  | { kind: 'advance'; ms: number }
  | { kind: 'toDeadline' };

const idx = fc.nat({ max: 20 });
const presence = fc.constantFrom(
  'available' as const,
  'available' as const,
  'away' as const,
  'offline' as const,
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('arrive' as const),
      lang: fc.nat({ max: CALLER_LANGS.length - 1 }),
      text: fc.nat({ max: 4 }).map((n) => n === 0), // 20% text chat
      head: fc.nat({ max: 6 }).map((n) => n === 0), // ~15% head priority
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('agent' as const), i: idx, presence }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('accept' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decline' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wrap' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('requeue' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('volunteer' as const), i: idx, presence }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('acceptInv' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('declineInv' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('interp' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('interpLeft' as const), i: idx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fallback' as const),
      i: idx,
      choice: fc.constantFrom('wait' as const, 'text' as const, 'callback' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 45_000 }) }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'toDeadline' as const }) },
);

const pick = <T>(xs: readonly T[], i: number): T | undefined =>
  xs.length === 0 ? undefined : xs[i % xs.length];

/** Mirrors caller readiness from the event stream to check first-come-first-served at each offer. */
class FcfsModel {
  private readonly callers = new Map<
    string,
    { prio: number; seq: number; cls: string; language: string; ready: boolean }
  >();
  private readonly offerCaller = new Map<string, string>();
  private readonly offerExpiry = new Map<string, number>();
  private seq = 0;

  constructor(private readonly agentLanguages: ReadonlyMap<string, readonly string[]>) {}

  arrived(id: string, cls: string, language: string, head: boolean): void {
    this.callers.set(id, { prio: head ? 0 : 1, seq: ++this.seq, cls, language, ready: true });
  }

  requeued(id: string, seq: number, cls: string, language: string): void {
    this.callers.set(id, { prio: 0, seq, cls, language, ready: true });
  }

  /** A declined offer emits no event for the caller: they are simply waiting again. */
  readyAgain(id: string): void {
    const c = this.callers.get(id);
    if (c !== undefined) c.ready = true;
  }

  toText(id: string): void {
    const c = this.callers.get(id);
    if (c !== undefined) c.cls = 'text';
  }

  apply(
    events: LobbyEvent[],
    now: number,
    matched: Map<string, { seq: number; cls: string; language: string }>,
  ): void {
    for (const e of events) {
      if (e.type === 'offer') {
        const c = this.callers.get(e.callerId);
        expect(c, `offer for unknown caller ${e.callerId}`).toBeDefined();
        if (c === undefined) continue;
        expect(c.ready, `caller ${e.callerId} offered twice`).toBe(true);
        const langs = this.agentLanguages.get(e.agentId) ?? [];
        for (const [id, d] of this.callers) {
          const earlier = d.prio < c.prio || (d.prio === c.prio && d.seq < c.seq);
          if (!d.ready || !earlier) continue;
          if (d.cls === c.cls)
            expect.fail(`FCFS: ${e.callerId} offered while earlier ${id} in ${c.cls} was waiting`);
          // Across classes too: the agent would have taken an earlier caller they could serve directly.
          if (d.cls === 'text' || langs.some((t) => serves(t, d.language))) {
            expect.fail(`FCFS: ${e.agentId} got ${e.callerId} while earlier ${id} (${d.cls}) was waiting`);
          }
        }
        c.ready = false;
        this.offerCaller.set(e.offerId, e.callerId);
        this.offerExpiry.set(e.offerId, e.expiresAt);
      } else if (e.type === 'offer-expired') {
        // Never before its deadline.
        expect(now).toBeGreaterThanOrEqual(this.offerExpiry.get(e.offerId) ?? Number.POSITIVE_INFINITY);
        const c = this.callers.get(e.callerId);
        if (c !== undefined) c.ready = true;
      } else if (e.type === 'offer-withdrawn' && e.reason === 'agent-left') {
        const c = this.callers.get(this.offerCaller.get(e.offerId) ?? '');
        if (c !== undefined) c.ready = true;
      } else if (e.type === 'matched') {
        const c = this.callers.get(e.callerId);
        if (c !== undefined) matched.set(e.matchId, { seq: c.seq, cls: c.cls, language: c.language });
        this.callers.delete(e.callerId);
      } else if (e.type === 'caller-left') {
        this.callers.delete(e.callerId);
      }
    }
  }
}

function setup(): { lobby: Lobby; clock: { now: number } } {
  const clock = { now: MONDAY_10_KST };
  const lobby = new Lobby({}, () => clock.now);
  AGENT_LANGS.forEach((languages, i) => lobby.upsertAgent({ agentId: `a${i}`, languages }));
  VOLUNTEER_LANGS.forEach((languages, i) =>
    lobby.upsertVolunteer({ volunteerId: `v${i}`, languages, weeklyHours: ALL_WEEK }),
  );
  return { lobby, clock };
}

/** Structural invariants that must hold after every call. */
function checkExclusivity(lobby: Lobby): void {
  const s = lobby.inspect();
  const offerAgents = s.offers.map((o) => o.agentId);
  const matchAgents = s.matches.map((m) => m.agentId);
  expect(new Set([...offerAgents, ...matchAgents]).size, 'agent in two offers/calls').toBe(
    offerAgents.length + matchAgents.length,
  );
  const offerCallers = s.offers.map((o) => o.callerId);
  expect(new Set(offerCallers).size, 'caller with two offers').toBe(offerCallers.length);
  const queued = new Set(s.queue.map((q) => q.callerId));
  for (const m of s.matches) expect(queued.has(m.callerId), 'caller both queued and matched').toBe(false);
  const invited = s.invitations.map((i) => i.volunteerId);
  const interpreting = s.matches.flatMap((m) => (m.interpreterId === null ? [] : [m.interpreterId]));
  expect(new Set([...invited, ...interpreting]).size, 'volunteer in two invitations/calls').toBe(
    invited.length + interpreting.length,
  );
  for (const a of s.agents) {
    expect(a.offerId !== null, `agent ${a.agentId} offered state`).toBe(a.presence === 'offered');
    expect(a.matchId !== null, `agent ${a.agentId} in-call state`).toBe(a.presence === 'in-call');
  }
  for (const v of s.volunteers) {
    expect(v.invitationId !== null).toBe(v.presence === 'invited');
    expect(v.matchId !== null).toBe(v.presence === 'in-call');
  }
  // Offers never outlive their deadline once time has been processed.
  for (const o of s.offers) expect(o.expiresAt).toBeGreaterThan(s.now);
  // Work-conserving: no idle agent could directly take a caller who is waiting without an offer.
  const idle = s.agents.filter((a) => a.presence === 'available');
  for (const q of s.queue) {
    if (q.offerId !== null) continue;
    const canTake = idle.some((a) => q.mode === 'text' || a.languages.some((t) => serves(t, q.language)));
    expect(canTake, `idle agent could take ${q.callerId}`).toBe(false);
  }
}

function staffSignature(lobby: Lobby): string {
  const s = lobby.inspect();
  const online = s.agents.filter((a) => ['available', 'offered', 'in-call', 'wrap-up'].includes(a.presence));
  return JSON.stringify([online.map((a) => a.agentId), lobby.snapshot().bridgeableLanguages]);
}

function positions(lobby: Lobby): Map<string, number> {
  const out = new Map<string, number>();
  for (const q of lobby.inspect().queue) out.set(q.callerId, lobby.callerView(q.callerId)?.position ?? -1);
  return out;
}

function run(commands: Command[]): void {
  const { lobby, clock } = setup();
  const model = new FcfsModel(new Map(AGENT_LANGS.map((langs, i) => [`a${i}`, langs])));
  const matchedSeq = new Map<string, { seq: number; cls: string; language: string }>();
  let nextCaller = 0;
  for (const cmd of commands) {
    const s = lobby.inspect();
    const posBefore = positions(lobby);
    const staffBefore = staffSignature(lobby);
    let events: LobbyEvent[] = [];
    let mayPushBack = false;
    const take = <T>(r: LobbyResult<T>): boolean => {
      if (r.ok) events = r.events;
      return r.ok;
    };
    switch (cmd.kind) {
      case 'arrive': {
        const id = `c${nextCaller++}`;
        const language = CALLER_LANGS[cmd.lang] as string;
        const mode = cmd.text ? 'text' : 'video';
        model.arrived(id, mode === 'text' ? 'text' : `video:${language}`, language, cmd.head);
        const r = lobby.enqueueCaller({
          callerId: id,
          language,
          mode,
          priority: cmd.head ? 'head' : 'normal',
        });
        expect(r.ok).toBe(true);
        take(r);
        mayPushBack = cmd.head;
        break;
      }
      case 'cancel': {
        const q = pick(s.queue, cmd.i);
        if (q !== undefined) expect(take(lobby.cancelCaller(q.callerId))).toBe(true);
        break;
      }
      case 'agent': {
        const a = pick(s.agents, cmd.i);
        if (a !== undefined) take(lobby.setAgentPresence(a.agentId, cmd.presence));
        break;
      }
      case 'accept': {
        const o = pick(s.offers, cmd.i);
        if (o !== undefined) expect(take(lobby.acceptOffer(o.agentId, o.offerId))).toBe(true);
        break;
      }
      case 'decline': {
        const o = pick(s.offers, cmd.i);
        if (o !== undefined) {
          model.readyAgain(o.callerId);
          expect(take(lobby.declineOffer(o.agentId, o.offerId))).toBe(true);
        }
        break;
      }
      case 'end': {
        const m = pick(s.matches, cmd.i);
        if (m !== undefined) expect(take(lobby.endMatch(m.matchId))).toBe(true);
        break;
      }
      case 'wrap': {
        const a = pick(
          s.agents.filter((x) => x.presence === 'wrap-up'),
          cmd.i,
        );
        if (a !== undefined) expect(take(lobby.finishWrapUp(a.agentId))).toBe(true);
        break;
      }
      case 'requeue': {
        const m = pick(s.matches, cmd.i);
        if (m !== undefined) {
          const before = matchedSeq.get(m.matchId);
          if (before !== undefined) model.requeued(m.callerId, before.seq, before.cls, before.language);
          expect(take(lobby.requeueCaller(m.matchId))).toBe(true);
          mayPushBack = true;
        }
        break;
      }
      case 'volunteer': {
        const v = pick(s.volunteers, cmd.i);
        if (v !== undefined) take(lobby.setVolunteerPresence(v.volunteerId, cmd.presence));
        break;
      }
      case 'acceptInv': {
        const inv = pick(s.invitations, cmd.i);
        if (inv !== undefined)
          expect(take(lobby.acceptInvitation(inv.volunteerId, inv.invitationId))).toBe(true);
        break;
      }
      case 'declineInv': {
        const inv = pick(s.invitations, cmd.i);
        if (inv !== undefined)
          expect(take(lobby.declineInvitation(inv.volunteerId, inv.invitationId))).toBe(true);
        break;
      }
      case 'interp': {
        const m = pick(s.matches, cmd.i);
        if (m !== undefined) take(lobby.requestInterpreter(m.matchId, 'en'));
        break;
      }
      case 'interpLeft': {
        const m = pick(s.matches, cmd.i);
        if (m !== undefined) take(lobby.interpreterLeft(m.matchId));
        break;
      }
      case 'fallback': {
        const q = pick(s.queue, cmd.i);
        if (q !== undefined && take(lobby.chooseFallback(q.callerId, cmd.choice)) && cmd.choice === 'text') {
          model.toText(q.callerId);
          mayPushBack = true; // moved to another line
        }
        break;
      }
      case 'advance':
        clock.now += cmd.ms;
        events = lobby.tick();
        break;
      case 'toDeadline': {
        const d = lobby.nextDeadline();
        if (d !== null) {
          expect(d).toBeGreaterThanOrEqual(clock.now);
          clock.now = d;
          events = lobby.tick();
          // Whatever was due at d has been processed.
          const next = lobby.nextDeadline();
          if (next !== null) expect(next).toBeGreaterThan(d);
        }
        break;
      }
    }
    model.apply(events, clock.now, matchedSeq);
    checkExclusivity(lobby);
    // A caller's place never grows unless someone of higher priority arrived (or was requeued), a caller
    // moved to another line, or the set of online staff / bridgeable languages changed.
    if (!mayPushBack && staffSignature(lobby) === staffBefore) {
      for (const [id, pos] of positions(lobby)) {
        const before = posBefore.get(id);
        if (before !== undefined) expect(pos, `position of ${id} grew`).toBeLessThanOrEqual(before);
      }
    }
  }
  drainAndCheck(lobby, clock);
}

/** Everyone comes back and answers everything: every caller who can be served must be served. */
function drainAndCheck(lobby: Lobby, clock: { now: number }): void {
  for (const a of lobby.inspect().agents) {
    if (a.presence === 'in-call' && a.matchId !== null) lobby.endMatch(a.matchId);
  }
  for (const a of lobby.inspect().agents) {
    if (a.presence === 'wrap-up') lobby.finishWrapUp(a.agentId);
    else if (a.presence === 'offline' || a.presence === 'away')
      lobby.setAgentPresence(a.agentId, 'available');
  }
  for (const v of lobby.inspect().volunteers) {
    if (v.presence === 'offline' || v.presence === 'away')
      lobby.setVolunteerPresence(v.volunteerId, 'available');
  }
  for (let round = 0; round < 200 && lobby.inspect().queue.length > 0; round++) {
    for (const o of lobby.inspect().offers) expect(lobby.acceptOffer(o.agentId, o.offerId).ok).toBe(true);
    for (const m of lobby.inspect().matches) expect(lobby.endMatch(m.matchId).ok).toBe(true);
    for (const a of lobby.inspect().agents) if (a.presence === 'wrap-up') lobby.finishWrapUp(a.agentId);
    clock.now += 1_000;
    lobby.tick();
  }
  const agents = lobby.inspect().agents;
  const volunteers = lobby.inspect().volunteers;
  for (const q of lobby.inspect().queue) {
    const direct = q.mode === 'text' || agents.some((a) => a.languages.some((t) => serves(t, q.language)));
    const bridged =
      volunteers.some((v) => v.languages.some((t) => serves(t, q.language))) &&
      agents.some((a) => a.languages.includes('ko'));
    expect(direct || bridged, `${q.callerId} (${q.language}) servable but never served`).toBe(false);
  }
}

// Generous per-test timeout for slow shared CI machines; the default run takes a couple of seconds.
const TIMEOUT = { timeout: Number(process.env.LOBBY_PROPERTY_TIMEOUT ?? 60_000) };

describe('lobby properties', () => {
  it('hold for random command sequences', TIMEOUT, () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (commands) => run(commands)),
      { numRuns: Number(process.env.LOBBY_PROPERTY_RUNS ?? 150) },
    );
  });

  it('hold for arrival-heavy sequences with everyone available', TIMEOUT, () => {
    const heavy = fc.array(
      fc.oneof(
        { weight: 5, arbitrary: command.filter((c) => c.kind === 'arrive') },
        { weight: 5, arbitrary: command.filter((c) => c.kind !== 'agent' && c.kind !== 'volunteer') },
      ),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(heavy, (commands) =>
        run([
          ...AGENT_LANGS.map((_, i): Command => ({ kind: 'agent', i, presence: 'available' })),
          ...VOLUNTEER_LANGS.map((_, i): Command => ({ kind: 'volunteer', i, presence: 'available' })),
          ...commands,
        ]),
      ),
      { numRuns: Number(process.env.LOBBY_PROPERTY_RUNS ?? 100) },
    );
  });
});
