// Rebuilding a lobby from a snapshot (snapshot.ts). A snapshot read from a file or Redis is untrusted:
// its version is checked first, its shape by a schema (TypeError), then its values and references
// (RangeError), and only a snapshot that passes everything is built. Building goes through the parts'
// own code where it can (rosters via `change`, lines via `add`), so their indexes come out as they
// would have been kept; the rest (competition graph, bridge demand and flags) is recomputed.
import { z } from 'zod';
import { ALL_AWAY_REASONS } from '../../../common/presence';
import { MINUTES_PER_WEEK } from './calendar';
import { keyFor } from './classes';
import { resolveConfig } from './config';
import type { DeadlineEntry } from './deadlines';
import type { InvitationEnd } from './interpreters';
import { canonicalLanguage, canonicalStaffLanguages } from './languages';
import type { OfferEnd } from './offers';
import type { CallerClass, CallerRec, Deadline, InvitationRec, MatchRec, OfferRec } from './records';
import { CLOSED_MEMORY, MAX_ID_LENGTH } from './results';
import { PATIENCE_BANDS_MS } from './patience';
import { configData, LOBBY_SNAPSHOT_VERSION } from './snapshot';
import type {
  LobbyParts,
  LobbyStateSnapshot,
  SnapshotAgent,
  SnapshotCaller,
  SnapshotClosed,
  SnapshotInvitation,
  SnapshotMatch,
  SnapshotOffer,
  SnapshotVolunteer,
} from './snapshot';
import type { AgentPresence, AwayReason, LobbyConfig, VolunteerPresence } from './types';

// ───────────────────────────── shape ─────────────────────────────

const Id = z.string().min(1).max(MAX_ID_LENGTH);
const Tag = z.string().min(1).max(64);
const Instant = z.number(); // finite: zod refuses NaN and ±Infinity
const Counter = z.int().min(0);
const Bool = z.boolean();

const AGENT_PRESENCES = ['offline', 'available', 'offered', 'in-call', 'wrap-up', 'away'] as const;
const VOLUNTEER_PRESENCES = ['offline', 'available', 'invited', 'in-call', 'away'] as const;
const OFFER_ENDS = ['accepted', 'declined', 'expired', 'withdrawn'] as const satisfies readonly OfferEnd[];
const INVITATION_ENDS = [
  'accepted',
  'declined',
  'expired',
  'taken',
  'cancelled',
] as const satisfies readonly InvitationEnd[];

const ConfigShape = z.strictObject({
  offerTimeoutMs: z.number(),
  maxMissedOffers: z.number(),
  volunteerRingBatch: z.number(),
  invitationTimeoutMs: z.number(),
  fallbackAfterMs: z.number(),
  bridgeLanguage: z.string(),
  timeZone: z.string(),
  shifts: z.array(
    z.strictObject({
      name: z.string(),
      start: z.string(),
      end: z.string(),
      days: z.array(z.number()).optional(),
    }),
  ),
  handleTimePriorMs: z.number(),
  wrapUpPriorMs: z.number(),
  handleTimeAlpha: z.number(),
  estimateStepMs: z.number(),
  positionUpdateIntervalMs: z.number(),
  waitEstimator: z.enum(['basic', 'adaptive']),
});

const CallerShape = z.strictObject({
  id: Id,
  language: Tag,
  mode: z.enum(['video', 'text']),
  priority: z.enum(['normal', 'head']),
  seq: z.int().min(1),
  arrivedAt: Instant,
  callback: Bool,
  longWaitOffered: Bool,
  longWaitToken: Counter,
  noCapacityOffered: Bool,
  shownPosition: Counter,
  shownEstimate: z.number().nullable(),
});

const Moments = z.strictObject({ mean: z.number(), square: z.number(), count: Counter });
const NonNegative = z.number().min(0);
const Exposure = z.strictObject({ departures: NonNegative, waitedMs: NonNegative, count: Counter });

const closedShape = <R extends string>(reasons: readonly [R, ...R[]]) =>
  z.array(z.strictObject({ id: Id, ownerId: Id, reason: z.enum(reasons) }));

const due = { at: Instant, seq: Counter };
const DeadlineShape = z.discriminatedUnion('kind', [
  z.strictObject({ ...due, kind: z.literal('offer'), offerId: Id }),
  z.strictObject({ ...due, kind: z.literal('invitation'), invitationId: Id }),
  z.strictObject({ ...due, kind: z.literal('long-wait'), callerId: Id, token: Counter }),
  z.strictObject({ ...due, kind: z.literal('hours'), volunteerId: Id, token: Counter }),
  z.strictObject({ ...due, kind: z.literal('positions'), token: Counter }),
]);

const SnapshotShape = z.strictObject({
  version: z.literal(LOBBY_SNAPSHOT_VERSION),
  config: ConfigShape,
  now: Instant,
  line: z.strictObject({
    arrivals: Counter,
    classes: z.array(z.strictObject({ key: z.string(), hadCapacity: Bool })).min(1),
    languages: z.array(Tag),
    callers: z.array(CallerShape),
  }),
  agents: z.strictObject({
    idleCounter: Counter,
    list: z.array(
      z.strictObject({
        id: Id,
        languages: z.array(Tag).min(1),
        shift: z.string().nullable(),
        presence: z.enum(AGENT_PRESENCES),
        idleSeq: Counter,
        missedInRow: Counter,
        wrapStartedAt: Instant,
        awayReason: z.enum(ALL_AWAY_REASONS as [AwayReason, ...AwayReason[]]).nullable(),
      }),
    ),
  }),
  volunteers: z.strictObject({
    idleCounter: Counter,
    list: z.array(
      z.strictObject({
        id: Id,
        languages: z.array(Tag).min(1),
        hours: z.array(z.strictObject({ start: Counter, end: Counter })),
        presence: z.enum(VOLUNTEER_PRESENCES),
        inHours: Bool,
        idleSeq: Counter,
        hoursToken: Counter,
      }),
    ),
  }),
  offers: z.strictObject({
    seq: Counter,
    open: z.array(
      z.strictObject({
        id: Id,
        agentId: Id,
        callerId: Id,
        needsInterpreter: Bool,
        createdAt: Instant,
        expiresAt: Instant,
      }),
    ),
    closed: closedShape(OFFER_ENDS),
  }),
  matches: z.strictObject({
    seq: Counter,
    open: z.array(
      z.strictObject({
        id: Id,
        seq: z.int().min(1),
        caller: CallerShape,
        agentId: Id,
        startedAt: Instant,
        needsInterpreter: Bool,
        interpreterLanguage: Tag,
        interpreterId: Id.nullable(),
        invitationIds: z.array(Id),
        awaiting: Bool,
        excluded: z.array(Id),
      }),
    ),
  }),
  interpreters: z.strictObject({
    seq: Counter,
    invitations: z.array(
      z.strictObject({ id: Id, volunteerId: Id, matchId: Id, language: Tag, expiresAt: Instant }),
    ),
    closed: closedShape(INVITATION_ENDS),
    awaiting: z.array(z.strictObject({ language: Tag, matchIds: z.array(Id).min(1) })),
  }),
  handleTimes: z.strictObject({
    talk: Moments,
    wrapUp: Moments,
    talkByClass: z.array(Moments.extend({ classKey: z.string().min(1) })),
  }),
  patience: z.strictObject({
    total: Exposure,
    bands: z.array(Exposure).length(PATIENCE_BANDS_MS.length),
    byClass: z.array(Exposure.extend({ classKey: z.string().min(1) })),
  }),
  positions: z.strictObject({
    graphStale: Bool,
    allDirty: Bool,
    dirty: z.array(z.string()),
    token: Counter,
    scheduled: Bool,
    lastRefreshAt: Instant.nullable(),
  }),
  deadlines: z.strictObject({ seq: Counter, pending: z.array(DeadlineShape) }),
}) satisfies z.ZodType<LobbyStateSnapshot>;

/**
 * Checks an untrusted snapshot and returns it typed, with the config it must run under. `expected`,
 * when given, is the config the restoring node was started with: it must resolve to the snapshot's.
 */
export function readSnapshot(
  input: unknown,
  expected: Partial<LobbyConfig> | undefined,
): { snapshot: LobbyStateSnapshot; config: LobbyConfig } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new TypeError('lobby snapshot: expected an object');
  const version = (input as { version?: unknown }).version;
  if (typeof version !== 'number')
    throw new TypeError(`lobby snapshot: version must be a number, got ${typeof version}`);
  if (version !== LOBBY_SNAPSHOT_VERSION)
    throw new RangeError(
      `lobby snapshot: version ${version} is not supported (this lobby reads version ${LOBBY_SNAPSHOT_VERSION})`,
    );
  const parsed = SnapshotShape.safeParse(input);
  if (!parsed.success) throw shapeError(parsed.error);
  const snapshot = parsed.data;
  const config = checkConfig(snapshot.config, expected);
  new Checker(snapshot, config).run();
  return { snapshot, config };
}

function shapeError(error: z.ZodError): TypeError {
  const shown = error.issues.slice(0, 3).map((i) => `${pathOf(i.path)}: ${i.message}`);
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : '';
  return new TypeError(`lobby snapshot: ${shown.join('; ')}${more}`);
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out === '' ? '(root)' : out;
}

// ───────────────────────────── config ─────────────────────────────

/** The snapshot's config must be valid and in resolved form; a given one must resolve to the same. */
function checkConfig(raw: LobbyConfig, expected: Partial<LobbyConfig> | undefined): LobbyConfig {
  let resolved: LobbyConfig;
  try {
    resolved = resolveConfig(raw).config;
  } catch (e) {
    throw new RangeError(`lobby snapshot: its config is invalid (${(e as Error).message})`, { cause: e });
  }
  const own = configData(resolved);
  if (JSON.stringify(own) !== JSON.stringify(configData(raw)))
    throw new RangeError(
      'lobby snapshot: its config is not in resolved form (e.g. bridgeLanguage canonical)',
    );
  if (expected !== undefined) {
    const given = configData(resolveConfig(expected).config);
    const differ = (Object.keys(own) as Array<keyof LobbyConfig>).filter(
      (k) => JSON.stringify(own[k]) !== JSON.stringify(given[k]),
    );
    if (differ.length > 0) {
      const detail = differ.map(
        (k) => `${k}: snapshot ${JSON.stringify(own[k])}, given ${JSON.stringify(given[k])}`,
      );
      throw new RangeError(`lobby snapshot: taken under another config (${detail.join('; ')})`);
    }
  }
  return own;
}

// ───────────────────────────── values and references ─────────────────────────────

const ONLINE_VOLUNTEER: ReadonlySet<VolunteerPresence> = new Set(['available', 'invited', 'in-call']);

const fault = (message: string): RangeError => new RangeError(`lobby snapshot: ${message}`);

function isCanonical(tag: string): boolean {
  return canonicalLanguage(tag) === tag;
}

function isCanonicalStaff(tags: readonly string[]): boolean {
  const c = canonicalStaffLanguages(tags);
  return c.ok && c.tags.length === tags.length && c.tags.every((t, i) => t === tags[i]);
}

/** Builds an id → item map, refusing duplicates. */
function indexById<T>(items: readonly T[], idOf: (t: T) => string, where: string): Map<string, T> {
  const map = new Map<string, T>();
  items.forEach((item, i) => {
    const id = idOf(item);
    if (map.has(id)) throw fault(`${where}[${i}]: duplicate id '${id}'`);
    map.set(id, item);
  });
  return map;
}

/** Generated ids (`offer-7`) must not be ones the sequence will hand out again. */
function checkGenerated(ids: Iterable<string>, prefix: string, seq: number, where: string): void {
  const generated = new RegExp(`^${prefix}-(\\d+)$`);
  for (const id of ids) {
    const m = generated.exec(id);
    if (m !== null && Number(m[1]) > seq) throw fault(`${where}: '${id}' is ahead of its sequence (${seq})`);
  }
}

class Checker {
  private readonly s: LobbyStateSnapshot;
  private readonly agents: Map<string, SnapshotAgent>;
  private readonly volunteers: Map<string, SnapshotVolunteer>;
  private readonly waiting: Map<string, SnapshotCaller>;
  private readonly offers: Map<string, SnapshotOffer>;
  private readonly matches: Map<string, SnapshotMatch>;
  private readonly invitations: Map<string, SnapshotInvitation>;
  private readonly classKeys: Set<string>;

  constructor(
    s: LobbyStateSnapshot,
    private readonly config: LobbyConfig,
  ) {
    this.s = s;
    this.agents = indexById(s.agents.list, (a) => a.id, 'agents.list');
    this.volunteers = indexById(s.volunteers.list, (v) => v.id, 'volunteers.list');
    this.waiting = indexById(s.line.callers, (c) => c.id, 'line.callers');
    this.offers = indexById(s.offers.open, (o) => o.id, 'offers.open');
    this.matches = indexById(s.matches.open, (m) => m.id, 'matches.open');
    this.invitations = indexById(s.interpreters.invitations, (i) => i.id, 'interpreters.invitations');
    this.classKeys = new Set(s.line.classes.map((c) => c.key));
  }

  run(): void {
    this.checkLine();
    this.checkAgents();
    this.checkVolunteers();
    this.checkOffers();
    this.checkMatches();
    this.checkInvitations();
    this.checkMemory();
    this.checkPositions();
    this.checkDeadlines();
  }

  private checkLine(): void {
    const { line } = this.s;
    if (line.classes[0]?.key !== 'text') throw fault("line.classes[0] must be the 'text' class");
    if (this.classKeys.size !== line.classes.length) throw fault('line.classes: duplicate class key');
    line.classes.forEach(({ key }, i) => {
      if (i > 0 && !(key.startsWith('video:') && isCanonical(key.slice('video:'.length))))
        throw fault(`line.classes[${i}]: '${key}' is not 'video:<canonical language>'`);
    });
    const languages = new Set(line.languages);
    if (languages.size !== line.languages.length) throw fault('line.languages: duplicate language');
    const seqs = new Set<number>();
    const checkCaller = (c: SnapshotCaller, where: string): void => {
      if (!isCanonical(c.language)) throw fault(`${where}.language '${c.language}' is not a canonical tag`);
      if (c.seq > line.arrivals) throw fault(`${where}.seq ${c.seq} is ahead of line.arrivals`);
      if (seqs.has(c.seq)) throw fault(`${where}.seq ${c.seq} is used twice`);
      seqs.add(c.seq);
    };
    line.callers.forEach((c, i) => {
      const where = `line.callers[${i}]`;
      checkCaller(c, where);
      if (!this.classKeys.has(classKeyOf(c)))
        throw fault(`${where}: no class '${classKeyOf(c)}' in line.classes`);
      if (!languages.has(c.language))
        throw fault(`${where}: language '${c.language}' missing from line.languages`);
    });
    this.s.matches.open.forEach((m, i) => checkCaller(m.caller, `matches.open[${i}].caller`));
  }

  private checkAgents(): void {
    const { shifts } = resolveConfig(this.config);
    const idle = new Set<number>();
    this.s.agents.list.forEach((a, i) => {
      const where = `agents.list[${i}]`;
      if (!isCanonicalStaff(a.languages))
        throw fault(`${where}.languages must be canonical, reduced and sorted`);
      if (a.shift !== null && !shifts.has(a.shift))
        throw fault(`${where}.shift '${a.shift}' is not configured`);
      if (a.idleSeq > this.s.agents.idleCounter)
        throw fault(`${where}.idleSeq is ahead of agents.idleCounter`);
      if (a.awayReason !== null && a.presence !== 'away')
        throw fault(`${where}: a reason to be away, but ${a.presence}`);
      if (a.presence === 'available') {
        if (a.idleSeq === 0 || idle.has(a.idleSeq))
          throw fault(`${where}: an available agent needs an idleSeq > 0 that no other has`);
        idle.add(a.idleSeq);
      }
    });
  }

  private checkVolunteers(): void {
    const ringable = new Set<number>();
    this.s.volunteers.list.forEach((v, i) => {
      const where = `volunteers.list[${i}]`;
      if (!isCanonicalStaff(v.languages))
        throw fault(`${where}.languages must be canonical, reduced and sorted`);
      let lastEnd = -1;
      for (const r of v.hours) {
        if (!(r.start > lastEnd && r.start < r.end && r.end <= MINUTES_PER_WEEK))
          throw fault(`${where}.hours must be sorted, disjoint minute-of-week ranges within a week`);
        lastEnd = r.end;
      }
      if (v.idleSeq > this.s.volunteers.idleCounter)
        throw fault(`${where}.idleSeq is ahead of volunteers.idleCounter`);
      if (v.inHours && !ONLINE_VOLUNTEER.has(v.presence))
        throw fault(`${where}: within hours but ${v.presence}`);
      if (v.inHours && v.presence === 'available') {
        if (v.idleSeq === 0 || ringable.has(v.idleSeq))
          throw fault(`${where}: a ringable volunteer needs an idleSeq > 0 that no other has`);
        ringable.add(v.idleSeq);
      }
    });
  }

  private checkOffers(): void {
    const { offers } = this.s;
    checkGenerated([...this.offers.keys(), ...offers.closed.map((c) => c.id)], 'offer', offers.seq, 'offers');
    const agentsOffered = new Set<string>();
    const callersOffered = new Set<string>();
    offers.open.forEach((o, i) => {
      const where = `offers.open[${i}]`;
      this.expectAgent(o.agentId, 'offered', where);
      if (!this.waiting.has(o.callerId))
        throw fault(`${where}.callerId '${o.callerId}' names no caller in line`);
      if (agentsOffered.has(o.agentId)) throw fault(`${where}: agent '${o.agentId}' has two offers`);
      if (callersOffered.has(o.callerId)) throw fault(`${where}: caller '${o.callerId}' has two offers`);
      agentsOffered.add(o.agentId);
      callersOffered.add(o.callerId);
    });
    this.expectAllAccountedFor('offered', agentsOffered, 'an offer');
  }

  private checkMatches(): void {
    const { matches } = this.s;
    checkGenerated(this.matches.keys(), 'match', matches.seq, 'matches');
    const agentsInCall = new Set<string>();
    const interpreters = new Set<string>();
    const callers = new Set<string>();
    const seqs = new Set<number>();
    const listed = new Set<string>();
    matches.open.forEach((m, i) => {
      const where = `matches.open[${i}]`;
      if (m.seq > matches.seq || seqs.has(m.seq))
        throw fault(`${where}.seq ${m.seq} is ahead of matches.seq or used twice`);
      seqs.add(m.seq);
      if (this.waiting.has(m.caller.id) || callers.has(m.caller.id))
        throw fault(`${where}: caller '${m.caller.id}' is in line or in another call`);
      callers.add(m.caller.id);
      this.expectAgent(m.agentId, 'in-call', where);
      if (agentsInCall.has(m.agentId)) throw fault(`${where}: agent '${m.agentId}' is in two calls`);
      agentsInCall.add(m.agentId);
      if (!isCanonical(m.interpreterLanguage))
        throw fault(`${where}.interpreterLanguage is not a canonical tag`);
      if (m.interpreterId !== null) {
        this.expectVolunteer(m.interpreterId, 'in-call', `${where}.interpreterId`);
        if (interpreters.has(m.interpreterId))
          throw fault(`${where}: volunteer '${m.interpreterId}' is in two calls`);
        interpreters.add(m.interpreterId);
      }
      if (m.awaiting && (m.interpreterId !== null || !m.needsInterpreter))
        throw fault(`${where}: awaiting an interpreter, so needs one and has none`);
      if (new Set(m.excluded).size !== m.excluded.length) throw fault(`${where}.excluded has duplicates`);
      for (const id of m.invitationIds) {
        if (this.invitations.get(id)?.matchId !== m.id)
          throw fault(`${where}: invitation '${id}' is not one of its own`);
        if (listed.has(id)) throw fault(`${where}: invitation '${id}' listed twice`);
        listed.add(id);
      }
    });
    this.expectAllAccountedFor('in-call', agentsInCall, 'a call');
    for (const [id, v] of this.volunteers)
      if (v.presence === 'in-call' && !interpreters.has(id))
        throw fault(`volunteer '${id}' is in-call but in no call`);
    for (const id of this.invitations.keys())
      if (!listed.has(id)) throw fault(`invitation '${id}' is not listed by its match`);
  }

  private checkInvitations(): void {
    const { interpreters } = this.s;
    const ids = [...this.invitations.keys(), ...interpreters.closed.map((c) => c.id)];
    checkGenerated(ids, 'inv', interpreters.seq, 'interpreters');
    const invited = new Set<string>();
    interpreters.invitations.forEach((inv, i) => {
      const where = `interpreters.invitations[${i}]`;
      this.expectVolunteer(inv.volunteerId, 'invited', `${where}.volunteerId`);
      if (invited.has(inv.volunteerId))
        throw fault(`${where}: volunteer '${inv.volunteerId}' has two invitations`);
      invited.add(inv.volunteerId);
      if (!this.matches.has(inv.matchId)) throw fault(`${where}.matchId '${inv.matchId}' names no call`);
      if (!isCanonical(inv.language)) throw fault(`${where}.language is not a canonical tag`);
    });
    for (const [id, v] of this.volunteers)
      if (v.presence === 'invited' && !invited.has(id))
        throw fault(`volunteer '${id}' is invited but has no invitation`);
    const seen = new Set<string>();
    interpreters.awaiting.forEach(({ language, matchIds }, i) => {
      const where = `interpreters.awaiting[${i}]`;
      if (interpreters.awaiting.findIndex((a) => a.language === language) !== i)
        throw fault(`${where}: language '${language}' listed twice`);
      for (const id of matchIds) {
        const m = this.matches.get(id);
        if (m === undefined || !m.awaiting || m.interpreterLanguage !== language)
          throw fault(`${where}: '${id}' is not a call awaiting a '${language}' interpreter`);
        if (seen.has(id)) throw fault(`${where}: '${id}' listed twice`);
        seen.add(id);
      }
    });
    for (const m of this.s.matches.open)
      if (m.awaiting && !seen.has(m.id))
        throw fault(`match '${m.id}' awaits an interpreter but is not in interpreters.awaiting`);
  }

  private checkMemory(): void {
    const logs: Array<[string, readonly SnapshotClosed<string>[]]> = [
      ['offers.closed', this.s.offers.closed],
      ['interpreters.closed', this.s.interpreters.closed],
    ];
    for (const [where, entries] of logs) {
      if (entries.length > CLOSED_MEMORY) throw fault(`${where} holds more than ${CLOSED_MEMORY} entries`);
      indexById(entries, (e) => e.id, where);
    }
    indexById(this.s.handleTimes.talkByClass, (m) => m.classKey, 'handleTimes.talkByClass');
    indexById(this.s.patience.byClass, (m) => m.classKey, 'patience.byClass');
  }

  private checkPositions(): void {
    const { dirty } = this.s.positions;
    if (new Set(dirty).size !== dirty.length) throw fault('positions.dirty has duplicates');
    for (const key of dirty) if (!this.classKeys.has(key)) throw fault(`positions.dirty: no class '${key}'`);
  }

  private checkDeadlines(): void {
    const { pending, seq } = this.s.deadlines;
    const seqs = new Set<number>();
    const timed = new Set<string>();
    const hours = new Set<string>();
    const longWaits = new Set<string>();
    let positions = 0;
    pending.forEach((d, i) => {
      const where = `deadlines.pending[${i}]`;
      if (d.seq >= seq || seqs.has(d.seq))
        throw fault(`${where}.seq ${d.seq} is not below deadlines.seq or used twice`);
      seqs.add(d.seq);
      switch (d.kind) {
        case 'offer':
        case 'invitation': {
          const id = d.kind === 'offer' ? d.offerId : d.invitationId;
          const target = d.kind === 'offer' ? this.offers.get(id) : this.invitations.get(id);
          if (target === undefined) throw fault(`${where}: no open ${d.kind} '${id}'`);
          if (target.expiresAt !== d.at || timed.has(id))
            throw fault(`${where}: not the one expiry of '${id}'`);
          timed.add(id);
          return;
        }
        case 'long-wait': {
          const c = this.waiting.get(d.callerId);
          if (
            c === undefined ||
            c.longWaitOffered ||
            c.callback ||
            c.longWaitToken !== d.token ||
            longWaits.has(d.callerId)
          )
            throw fault(`${where}: not the current long-wait deadline of a caller still owed the notice`);
          longWaits.add(d.callerId);
          return;
        }
        case 'hours': {
          const v = this.volunteers.get(d.volunteerId);
          if (v === undefined || v.hoursToken !== d.token || hours.has(d.volunteerId))
            throw fault(`${where}: not the current hours deadline of volunteer '${d.volunteerId}'`);
          hours.add(d.volunteerId);
          return;
        }
        case 'positions':
          if (!this.s.positions.scheduled || d.token !== this.s.positions.token)
            throw fault(`${where}: positions token ${d.token} is not the one scheduled`);
          positions++;
          return;
      }
    });
    for (const id of [...this.offers.keys(), ...this.invitations.keys()])
      if (!timed.has(id)) throw fault(`'${id}' has no expiry in deadlines.pending`);
    if (positions !== (this.s.positions.scheduled ? 1 : 0))
      throw fault('positions.scheduled needs exactly one positions deadline');
  }

  private expectAgent(id: string, presence: AgentPresence, where: string): void {
    const a = this.agents.get(id);
    if (a === undefined) throw fault(`${where}.agentId '${id}' names no agent`);
    if (a.presence !== presence) throw fault(`${where}: agent '${id}' is ${a.presence}, not ${presence}`);
  }

  private expectVolunteer(id: string, presence: VolunteerPresence, where: string): void {
    const v = this.volunteers.get(id);
    if (v === undefined) throw fault(`${where} '${id}' names no volunteer`);
    if (v.presence !== presence) throw fault(`${where}: volunteer '${id}' is ${v.presence}, not ${presence}`);
  }

  private expectAllAccountedFor(presence: AgentPresence, found: ReadonlySet<string>, what: string): void {
    for (const [id, a] of this.agents)
      if (a.presence === presence && !found.has(id))
        throw fault(`agent '${id}' is ${presence} but has no ${what}`);
  }
}

const classKeyOf = (c: SnapshotCaller): string => (c.mode === 'text' ? 'text' : `video:${c.language}`);

// ───────────────────────────── rebuild ─────────────────────────────

/** Looks up a record the checks above guarantee; a miss is a bug here, not bad input. */
function must<T>(map: ReadonlyMap<string, T>, id: string): T {
  const found = map.get(id);
  if (found === undefined) throw new Error(`lobby restore: '${id}' vanished between check and build`);
  return found;
}

function callerRecord(c: SnapshotCaller, cls: CallerClass): CallerRec {
  return {
    id: c.id,
    language: c.language,
    mode: c.mode,
    priority: c.priority,
    seq: c.seq,
    key: keyFor(c.priority, c.seq),
    arrivedAt: c.arrivedAt,
    cls,
    callback: c.callback,
    offer: null,
    longWaitOffered: c.longWaitOffered,
    longWaitToken: c.longWaitToken,
    noCapacityOffered: c.noCapacityOffered,
    shownPosition: c.shownPosition,
    shownEstimate: c.shownEstimate,
  };
}

/** Fills a freshly constructed lobby's parts from a checked snapshot. */
export function installSnapshot(p: LobbyParts, s: LobbyStateSnapshot): void {
  p.tx.begin(s.now);
  p.classes.restoreState(s.line);
  p.agents.restoreState(s.agents.list, s.agents.idleCounter);
  p.volunteers.restoreState(s.volunteers.list, s.volunteers.idleCounter);
  const classByKey = new Map(p.classes.list.map((c) => [c.key, c]));

  const callers = new Map<string, CallerRec>();
  for (const c of s.line.callers) {
    const caller = callerRecord(c, must(classByKey, classKeyOf(c)));
    p.classes.add(caller);
    callers.set(caller.id, caller);
  }
  const offers = s.offers.open.map((o): OfferRec => {
    const caller = must(callers, o.callerId);
    const offer: OfferRec = {
      id: o.id,
      agent: must(p.agents.byId, o.agentId),
      caller,
      needsInterpreter: o.needsInterpreter,
      createdAt: o.createdAt,
      expiresAt: o.expiresAt,
      active: true,
    };
    caller.offer = offer;
    offer.agent.offer = offer;
    caller.cls.ready.delete(caller.key); // being offered: in line but not ready
    return offer;
  });
  const matches = new Map<string, MatchRec>();
  for (const m of s.matches.open) {
    // A call's caller may have a class pruned meanwhile: only its key is read until a requeue.
    const key = classKeyOf(m.caller);
    const cls = classByKey.get(key) ?? p.classes.detachedClass(m.caller.mode, m.caller.language);
    const caller = callerRecord(m.caller, cls);
    const match: MatchRec = {
      id: m.id,
      seq: m.seq,
      caller,
      agent: must(p.agents.byId, m.agentId),
      startedAt: m.startedAt,
      needsInterpreter: m.needsInterpreter,
      interpreterLanguage: m.interpreterLanguage,
      interpreter: m.interpreterId === null ? null : must(p.volunteers.byId, m.interpreterId),
      invitations: new Set(),
      awaiting: m.awaiting,
      excluded: new Set(m.excluded),
      active: true,
    };
    match.agent.match = match;
    if (match.interpreter !== null) match.interpreter.match = match;
    matches.set(match.id, match);
    callers.set(caller.id, caller);
  }
  const invitations = new Map<string, InvitationRec>();
  for (const i of s.interpreters.invitations) {
    const inv: InvitationRec = {
      id: i.id,
      volunteer: must(p.volunteers.byId, i.volunteerId),
      match: must(matches, i.matchId),
      language: i.language,
      expiresAt: i.expiresAt,
      active: true,
    };
    inv.volunteer.invitation = inv;
    invitations.set(inv.id, inv);
  }
  // Each call's invitations in its own order (withdrawals run in it).
  for (const m of s.matches.open) {
    const match = must(matches, m.id);
    for (const id of m.invitationIds) match.invitations.add(must(invitations, id));
  }

  p.book.restoreState({ offerSeq: s.offers.seq, matchSeq: s.matches.seq, closed: s.offers.closed }, offers, [
    ...matches.values(),
  ]);
  p.ringer.restoreState(
    { seq: s.interpreters.seq, closed: s.interpreters.closed },
    [...invitations.values()],
    s.interpreters.awaiting.map((a) => ({
      language: a.language,
      matches: a.matchIds.map((id) => must(matches, id)),
    })),
  );
  p.stats.restoreState(s.handleTimes);
  p.patience.restoreState(s.patience);
  p.bridge.rebuild(
    offers.filter((o) => o.needsInterpreter).map((o) => o.caller.language),
    [...matches.values()].filter((m) => m.awaiting).map((m) => m.interpreterLanguage),
  );
  p.tracker.restoreState(
    s.positions,
    s.positions.dirty.map((key) => must(classByKey, key)),
  );
  const offerById = new Map(offers.map((o) => [o.id, o]));
  p.deadlines.load(
    s.deadlines.pending.map((d): DeadlineEntry<Deadline> => {
      const entry = (item: Deadline): DeadlineEntry<Deadline> => ({ at: d.at, seq: d.seq, item });
      switch (d.kind) {
        case 'offer':
          return entry({ kind: 'offer', offer: must(offerById, d.offerId) });
        case 'invitation':
          return entry({ kind: 'invitation', invitation: must(invitations, d.invitationId) });
        case 'long-wait':
          return entry({ kind: 'long-wait', caller: must(callers, d.callerId), token: d.token });
        case 'hours':
          return entry({ kind: 'hours', volunteer: must(p.volunteers.byId, d.volunteerId), token: d.token });
        case 'positions':
          return entry({ kind: 'positions', token: d.token });
      }
    }),
    s.deadlines.seq,
  );
}
