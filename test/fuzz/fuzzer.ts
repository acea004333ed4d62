// The signalling fuzzer (`npm run fuzz`, and test/integration/fuzz.test.ts at 10,000 messages):
// a real app in this process, sockets in every state a client can be in, and a storm of messages
// from malformed to almost valid over every event of every namespace. Then the checks: the server
// answers /healthz, its media worker lives, a normal call still works, memory is back near where it
// started, nothing was answered `internal`, every acknowledged message got an answer.
import fs from 'node:fs';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { io } from 'socket.io-client';
import type { Ack } from '../../common/protocol';
import { Scene, StaffAccounts, type Seated, type Staff } from '../helpers/scenes';
import { connect, ok, startTestApp, type TestApp, type TestSocket } from '../helpers/testApp';
import { until } from '../helpers/waiting';
import { messages, resolveRefs, type Message, type PoolName } from './payloads';

export interface FuzzOptions {
  messages: number;
  seed: number;
  /** Messages in flight at once (each on its own socket's queue). */
  lanes?: number;
  /** How long an acknowledged message may go unanswered before it counts as `no-answer`. */
  answerTimeoutMs?: number;
  onProgress?: (sent: number) => void;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Memory {
  rss: number;
  heapUsed: number;
  /**
   * The heap without V8's code spaces: what data is kept. Compiled code grows as the storm reaches
   * new paths (4.2 of 6.2 MB growth in a 100,000-message run, by heap snapshot diff), which is JIT
   * warming, not a leak; the check reads this figure.
   */
  dataHeapUsed: number;
  /** The media worker's resident memory (a process of its own), for the record. */
  workerRss: number;
}

export interface FuzzReport {
  seed: number;
  messages: number;
  durationMs: number;
  /** `namespace state` → event → answer → count. */
  counts: Map<string, Map<string, Map<string, number>>>;
  answers: Map<string, number>;
  disconnects: Map<string, number>;
  reconnects: number;
  rebuilds: number;
  internal: { where: string; event: string; payload: string }[];
  unanswered: { where: string; event: string; payload: string }[];
  memory: { before: Memory; after: Memory };
  checks: Check[];
}

// Answers that say the state of a socket changed: its world is built again before it is used more.
const CHANGES_STATE = new Set([
  'lobby:request',
  'lobby:cancel',
  'lobby:resume',
  'lobby:choose-fallback',
  'agent:set-presence',
  'agent:accept-offer',
  'agent:decline-offer',
  'agent:request-interpreter',
  'agent:remove-interpreter',
  'agent:wrap-up',
  'volunteer:set-presence',
  'volunteer:accept-invitation',
  'volunteer:decline-invitation',
  'session:join',
  'session:hangup',
  'media:restart',
]);
const STATE_EVENTS = [
  'session:ended',
  'lobby:matched',
  'lobby:requeued',
  'agent:offer',
  'agent:offer-ended',
  'volunteer:invitation',
  'volunteer:invitation-ended',
  'session:media-restart',
];

interface Slot {
  nsp: '/caller' | '/agent' | '/volunteer';
  state: string;
  socket: TestSocket;
  world: World;
  /** A new socket in the same state after this one was closed (cheap), else the world is built again. */
  restore?: () => Promise<TestSocket>;
  staff?: Staff;
}

/** One small world of sockets (a waiting caller, a call…) that is built again as a whole. */
interface World {
  name: string;
  build: (scene: Scene) => Promise<Omit<Slot, 'world'>[]>;
  scene?: Scene;
  slots: Slot[];
  broken: boolean;
  building?: Promise<void>;
}

const POOL_SIZE = 64;

/** Ids seen so far, a bounded ring each: what hostile payloads name. */
class Pools {
  readonly #pools = new Map<PoolName, unknown[]>();
  add(pool: PoolName, value: unknown): void {
    if (value === undefined) return;
    const list = this.#pools.get(pool) ?? [];
    list.push(value);
    if (list.length > POOL_SIZE) list.shift();
    this.#pools.set(pool, list);
  }
  get = (pool: PoolName): readonly unknown[] => this.#pools.get(pool) ?? [];
  seat(seat: Seated): void {
    this.add('token', seat.token);
    this.add('caps', seat.join.routerRtpCapabilities);
    if (seat.media) {
      this.add('transport', seat.media.send);
      this.add('transport', seat.media.recv);
      this.add('producer', seat.media.producerId);
      this.add('consumer', seat.media.consumerId);
    }
  }
}

function forceGc(): () => void {
  const exposed = globalThis.gc;
  if (exposed) return () => void exposed();
  // Not started with --expose-gc (e.g. under vitest): switch it on now.
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function workerRss(app: TestApp): number {
  let total = 0;
  for (const pid of app.pool.workerPids) {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  }
  return total;
}

async function measure(app: TestApp, gc: () => void): Promise<Memory> {
  // Several collections a moment apart: V8 hands freed pages back to the system lazily.
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 200));
  }
  const { rss, heapUsed } = process.memoryUsage();
  const code = v8
    .getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
  return { rss, heapUsed, dataHeapUsed: heapUsed - code, workerRss: workerRss(app) };
}

/**
 * A normal call from start to end: both sides join, set up transports and media on the real worker
 * (produce, consume, resume), chat, pause a producer, hang up, wrap up. Throws at the step that fails.
 */
export async function normalCall(scene: Scene): Promise<void> {
  const { caller, agent } = await scene.twoWay('kvk');
  await scene.media([caller, agent]);
  for (const seat of [caller, agent]) {
    ok(
      await seat.socket.request('media:connect-transport', {
        transportId: seat.media!.send,
        dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
      }),
    );
  }
  const heard = agent.socket.next<{ text: string }>('chat:message');
  ok(await caller.socket.request('chat:send', { text: 'hello after the storm' }));
  if ((await heard).text !== 'hello after the storm') throw new Error('chat did not arrive');
  const paused = agent.socket.next<{ paused: boolean }>('session:producer-paused');
  ok(
    await caller.socket.request('media:set-producer-paused', {
      producerId: caller.media!.producerId,
      paused: true,
    }),
  );
  if (!(await paused).paused) throw new Error('the pause did not arrive');
  const ended = caller.socket.next<{ reason: string }>('session:ended');
  ok(await agent.socket.request('session:hangup'));
  if ((await ended).reason !== 'hangup') throw new Error('the caller was not told the call ended');
  ok(await agent.socket.request('agent:wrap-up', { resolved: true, category: 'information' }));
  await scene.dispose();
}

function codeOf(ack: unknown): string {
  const a = ack as Ack<unknown> | undefined;
  if (a?.ok === true) return 'ok';
  if (a?.ok === false && typeof a.error?.code === 'string') return a.error.code;
  return 'malformed-answer';
}

function preview(value: unknown): string {
  try {
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
  } catch {
    return String(value);
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const lanes = options.lanes ?? 6;
  const answerTimeoutMs = options.answerTimeoutMs ?? 5000;
  const app = await startTestApp(
    {
      // Every socket here comes from 127.0.0.1 (the sockets-per-address cap, where it exists, too).
      CALL_REQUESTS_PER_MINUTE: '100000',
      MAX_SOCKETS_PER_ADDRESS: '100000',
      // Nothing offered or rung expires under the storm (a re-offer would cross the worlds).
      OFFER_TIMEOUT_MS: '600000',
      INVITATION_TIMEOUT_MS: '600000',
    },
    // A socket closed mid-call and never restored frees its seat soon.
    { reconnectGraceMs: 3000 },
  );
  const gc = forceGc();
  const accounts = new StaffAccounts(app, 'fuzz');
  const pools = new Pools();
  const report = newReport(options.seed);
  const check = (name: string, pass: boolean, detail: string) =>
    report.checks.push({ name, ok: pass, detail });
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();

  try {
    // Warm-up: one normal call and a short storm (another seed, not counted), so that what is set
    // up lazily (compiled code, the first worlds' accounts) is not counted as growth.
    await normalCall(new Scene(app, accounts));
    const warmUp = {
      ...options,
      messages: Math.max(WARM_UP_MESSAGES, Math.round(options.messages * WARM_UP_SHARE)),
      seed: options.seed + 1,
      onProgress: undefined,
    };
    const ctx: StormContext = { lanes, answerTimeoutMs, app, accounts, pools };
    await stormInWorlds(warmUp, ctx, newReport(warmUp.seed));
    await normalCall(new Scene(app, accounts));
    report.memory.before = await measure(app, gc);

    const started = Date.now();
    await stormInWorlds(options, ctx, report);
    report.durationMs = Date.now() - started;

    const health = await fetch(`${app.url}/healthz`).then(
      (r) => `${r.status}`,
      (err: unknown) => String(err),
    );
    check('/healthz answers 200', health === '200', `answered ${health}`);
    const alive = app.pool.workerPids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    check(
      'the media worker lives',
      alive.length === app.pool.workerCount && alive.length > 0,
      `${alive.length} alive`,
    );
    const call = await normalCall(new Scene(app, accounts)).then(
      () => 'worked',
      (err: unknown) => `failed: ${String(err)}; the lobby then: ${preview(app.calls.overview())}`,
    );
    check('a normal call works after the storm', call === 'worked', call);
    check('no call is left open', app.calls.sessions.size === 0, `${app.calls.sessions.size} open`);
    report.memory.after = await measure(app, gc);
    const { before, after } = report.memory;
    const within = (a: number, b: number) => a <= b * 1.1;
    check(
      'RSS back within 10% of its start',
      within(after.rss, before.rss),
      `${mb(before.rss)} → ${mb(after.rss)}`,
    );
    check(
      'heap (without compiled code) back within 10% of its start',
      within(after.dataHeapUsed, before.dataHeapUsed),
      `${mb(before.dataHeapUsed)} → ${mb(after.dataHeapUsed)}`,
    );
    check('no answer was `internal`', report.internal.length === 0, `${report.internal.length} internal`);
    check(
      'every acknowledged message was answered',
      report.unanswered.length === 0,
      `${report.unanswered.length} unanswered`,
    );
    const polluted = ({} as Record<string, unknown>)['polluted'];
    check(
      'Object.prototype is untouched',
      polluted === undefined && Object.getOwnPropertyNames(Object.prototype).join() === prototypeKeys,
      polluted === undefined ? 'untouched' : `polluted: ${String(polluted)}`,
    );
    check(
      'no staff namespace let an unsigned socket in',
      !report.answers.has('connected'),
      `${report.answers.get('connected') ?? 0} let in`,
    );
  } finally {
    await app.stop();
  }
  return report;
}

const WARM_UP_MESSAGES = 1000;
/**
 * The warm-up is a quarter of the storm: V8 keeps compiling (bytecode, feedback, optimised code, in
 * the old space as well as the code space) as long as the storm reaches paths it had not reached,
 * so a short warm-up counts that as growth. What a leak keeps grows with the storm itself instead.
 */
const WARM_UP_SHARE = 0.25;

function newReport(seed: number): FuzzReport {
  const none = { rss: 0, heapUsed: 0, dataHeapUsed: 0, workerRss: 0 };
  return {
    seed,
    messages: 0,
    durationMs: 0,
    counts: new Map(),
    answers: new Map(),
    disconnects: new Map(),
    reconnects: 0,
    rebuilds: 0,
    internal: [],
    unanswered: [],
    memory: { before: none, after: none },
    checks: [],
  };
}

/** What every storm of a run shares. */
interface StormContext {
  lanes: number;
  answerTimeoutMs: number;
  app: TestApp;
  accounts: StaffAccounts;
  pools: Pools;
}

/** A storm in fresh worlds, which are torn down after it (and every call left ended). */
async function stormInWorlds(options: FuzzOptions, ctx: StormContext, report: FuzzReport): Promise<void> {
  const { app, pools } = ctx;
  const worlds = makeWorlds(app, pools);
  try {
    await storm(options, ctx, worlds, report);
  } finally {
    for (const w of worlds) await w.building?.catch(() => undefined);
    for (const w of worlds) await w.scene?.dispose();
    // A caller whose socket the storm closed keeps their place for the reconnect grace: the next
    // call's agent would be offered them (and the next caller never matched) until it runs out.
    await until(() => {
      const lobby = app.calls.overview();
      return lobby.sessions === 0 && lobby.callersWaiting === 0 && lobby.offersPending === 0;
    }, 15_000).catch(() => undefined);
  }
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A new socket in a slot's state: connected, then the one request that puts it there (or closed). */
function reconnect(
  app: TestApp,
  nsp: Slot['nsp'],
  staff: Staff | undefined,
  then: { event: string; payload: unknown },
): () => Promise<TestSocket> {
  return async () => {
    const socket = await connect(app, nsp, staff?.cookie);
    try {
      ok(await socket.request(then.event, then.payload));
      return socket;
    } catch (err) {
      socket.close();
      throw err;
    }
  };
}

/** The worlds the storm runs in; each in languages of its own, so none answers another's caller. */
function makeWorlds(app: TestApp, pools: Pools): World[] {
  const world = (name: string, build: World['build']): World => ({ name, build, slots: [], broken: true });
  const seated = (nsp: Slot['nsp'], state: string, seat: Seated, staff?: Staff): Omit<Slot, 'world'> => {
    pools.seat(seat);
    return {
      nsp,
      state,
      socket: seat.socket,
      staff,
      restore: reconnect(app, nsp, staff, { event: 'session:join', payload: { token: seat.token } }),
    };
  };
  const staffOf = (scene: Scene, socketIndex: number) => scene.staff[socketIndex];
  return [
    world('anonymous', async (scene) => [
      {
        nsp: '/caller',
        state: 'anonymous',
        socket: await scene.caller(),
        restore: () => connect(app, '/caller'),
      },
    ]),
    world('waiting', async (scene) => {
      const { socket, resumeKey } = await scene.waiting('mn');
      pools.add('resumeKey', resumeKey);
      const restore = reconnect(app, '/caller', undefined, { event: 'lobby:resume', payload: { resumeKey } });
      return [{ nsp: '/caller', state: 'waiting', socket, restore }];
    }),
    world('staff', async (scene) => {
      const agent = await scene.agent(['lo'], 'away');
      const available = await scene.agent(['uz'], 'available');
      const volunteer = await scene.volunteer(['ne', 'ko'], 'available');
      const again = (nsp: Slot['nsp'], staff: Staff, presence: 'away' | 'available') =>
        reconnect(app, nsp, staff, {
          event: nsp === '/agent' ? 'agent:set-presence' : 'volunteer:set-presence',
          payload: nsp === '/agent' && presence === 'away' ? { presence, reason: 'break' } : { presence },
        });
      return [
        {
          nsp: '/agent',
          state: 'signed-in',
          socket: agent.socket,
          staff: agent.staff,
          restore: again('/agent', agent.staff, 'away'),
        },
        {
          nsp: '/agent',
          state: 'available',
          socket: available.socket,
          staff: available.staff,
          restore: again('/agent', available.staff, 'available'),
        },
        {
          nsp: '/volunteer',
          state: 'available',
          socket: volunteer.socket,
          staff: volunteer.staff,
          restore: again('/volunteer', volunteer.staff, 'available'),
        },
      ];
    }),
    world('offered', async (scene) => {
      const { agent, caller, offer } = await scene.offered('ase');
      pools.add('offer', offer.offerId);
      return [
        { nsp: '/agent', state: 'offered', socket: agent },
        { nsp: '/caller', state: 'offered', socket: caller },
      ];
    }),
    world('two-way', async (scene) => {
      const { caller, agent } = await scene.twoWay('kvk');
      await scene.media([caller, agent]);
      return [
        seated('/caller', 'two-way call', caller),
        seated('/agent', 'two-way call', agent, staffOf(scene, 0)),
      ];
    }),
    world('ringing', async (scene) => {
      const ringing = await scene.ringing('km');
      pools.add('invitation', ringing.invitation.invitationId);
      pools.seat(ringing.caller);
      pools.seat(ringing.agent);
      return [{ nsp: '/volunteer', state: 'invited', socket: ringing.volunteer }];
    }),
    world('three-way', async (scene) => {
      const { caller, agent, interpreter } = await scene.threeWay('vi');
      await scene.media([caller, agent, interpreter]);
      return [
        seated('/caller', 'three-way call', caller),
        seated('/agent', 'three-way call', agent, staffOf(scene, 1)),
        seated('/volunteer', 'three-way call', interpreter, staffOf(scene, 0)),
      ];
    }),
  ];
}

async function storm(
  options: FuzzOptions,
  { lanes, answerTimeoutMs, app, accounts, pools }: StormContext,
  worlds: World[],
  report: FuzzReport,
): Promise<void> {
  const slots = () => worlds.flatMap((w) => w.slots);

  const watch = (slot: Slot) => {
    for (const event of STATE_EVENTS) slot.socket.once(event, () => (slot.world.broken = true));
    slot.socket.on('lobby:matched', (p: { token: string }) => pools.add('token', p.token));
    slot.socket.on('agent:offer', (p: { offerId: string }) => pools.add('offer', p.offerId));
    slot.socket.on('volunteer:invitation', (p: { invitationId: string }) =>
      pools.add('invitation', p.invitationId),
    );
    slot.socket.on('call:survey', (p: { surveyKey: string }) => pools.add('surveyKey', p.surveyKey));
    slot.socket.on('disconnect', (reason: string) => {
      bump(report.disconnects, reason);
    });
  };

  // One world is built at a time: two calls set up at once could be matched across.
  let builds: Promise<unknown> = Promise.resolve();
  const build = (w: World): Promise<void> =>
    (w.building ??= (async () => {
      const turn = builds.then(() => undefined);
      let done!: () => void;
      builds = new Promise<void>((r) => (done = r));
      await turn;
      try {
        await buildNow(w);
      } finally {
        done();
      }
    })().finally(() => (w.building = undefined)));

  const buildNow = async (w: World): Promise<void> => {
    await w.scene?.dispose();
    const scene = new Scene(app, accounts);
    w.scene = scene;
    for (let attempt = 0; ; attempt++) {
      try {
        w.slots = (await w.build(scene)).map((s) => ({ ...s, world: w }));
        break;
      } catch (err) {
        await scene.dispose();
        if (attempt >= 3)
          throw new Error(`could not build the ${w.name} world: ${String(err)}`, { cause: err });
      }
    }
    for (const slot of w.slots) watch(slot);
    w.broken = false;
    report.rebuilds++;
  };

  /** The slot ready for use: its socket back if the server closed it, its world rebuilt if broken. */
  const ready = async (slot: Slot): Promise<Slot | undefined> => {
    // A slot of a world since built again is gone with it.
    if (!slot.world.slots.includes(slot)) return undefined;
    if (!slot.socket.connected && !slot.world.broken && slot.restore) {
      const scene = slot.world.scene!;
      try {
        const socket = await slot.restore();
        // The world may have been built again meanwhile: then this socket belongs to nobody.
        if (slot.world.scene !== scene || !slot.world.slots.includes(slot)) {
          socket.close();
          return undefined;
        }
        slot.socket = scene.adopt(socket, slot.staff);
        watch(slot);
        report.reconnects++;
      } catch {
        slot.world.broken = true;
      }
    }
    if (slot.world.broken || !slot.socket.connected) {
      slot.world.broken = true;
      // Built in the background: the lane goes on with another slot meanwhile.
      build(slot.world).catch((err: unknown) => (buildError ??= err));
      return undefined;
    }
    return slot;
  };

  let buildError: unknown;
  for (const w of worlds) await build(w);
  // The sockets of the staff worlds, for the connection attempts with another role's cookie.
  const staffCookies = () => slots().flatMap((s) => (s.staff ? [s.staff] : []));

  const source = messages(options.seed, options.messages);
  const next = (): Message | undefined => {
    const r = source.next();
    return r.done ? undefined : r.value;
  };

  const record = (where: string, event: string, answer: string, payload: unknown) => {
    report.messages++;
    bump(report.answers, answer);
    const byEvent = report.counts.get(where) ?? new Map<string, Map<string, number>>();
    report.counts.set(where, byEvent);
    const byAnswer = byEvent.get(event) ?? new Map<string, number>();
    byEvent.set(event, byAnswer);
    bump(byAnswer, answer);
    const entry = () => ({ where, event, payload: preview(payload) });
    if (answer === 'internal' && report.internal.length < 100) report.internal.push(entry());
    if (answer === 'no-answer' && report.unanswered.length < 100) report.unanswered.push(entry());
    if (report.messages % 1000 === 0) options.onProgress?.(report.messages);
  };

  const ask = (slot: Slot, m: Extract<Message, { kind: 'event' }>, payload: unknown): Promise<string> =>
    new Promise((resolve) => {
      const socket = slot.socket;
      const pending: { timer?: NodeJS.Timeout } = {};
      const finish = (answer: string) => {
        clearTimeout(pending.timer);
        socket.off('disconnect', gone);
        resolve(answer);
      };
      const gone = () => finish('disconnected');
      const ack = (a: unknown) => finish(codeOf(a));
      const args: unknown[] = [];
      if (m.shape === 'payload+ack') args.push(payload, ack);
      if (m.shape === 'ack-only') args.push(ack);
      if (m.shape === 'payload-no-ack') args.push(payload);
      if (m.shape === 'extra-args+ack') args.push(payload, 'extra', 42, ack);
      const acked = args.includes(ack);
      try {
        (socket.emit as (event: string, ...a: unknown[]) => unknown)(m.event, ...args);
      } catch {
        finish('client-refused');
        return;
      }
      if (!acked) return finish('no-ack');
      socket.once('disconnect', gone);
      pending.timer = setTimeout(() => finish('no-answer'), answerTimeoutMs);
    });

  const attemptConnect = async (m: Extract<Message, { kind: 'connect' }>): Promise<void> => {
    const nsp = m.slot % 2 === 0 ? '/agent' : '/volunteer';
    const other = staffCookies().find((s) => (s.role === 'agent') !== (nsp === '/agent'));
    const cookie = {
      none: undefined,
      forged: `relay_session=${'A'.repeat(43)}`,
      // (Latin-1 only: a header with other characters never leaves the client.)
      garbage: 'relay_session=%E0%A4%A; relay_session=\u00ff; =;;;',
      'other-role': other?.cookie,
      huge: `relay_session=${'z'.repeat(6000)}`,
    }[m.cookie];
    const socket = io(`${app.url}${nsp}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...(cookie && { extraHeaders: { cookie } }),
    });
    const answer = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('no-answer'), answerTimeoutMs);
      socket.once('connect', () => (clearTimeout(timer), resolve('connected')));
      socket.once('connect_error', (err: Error) => (clearTimeout(timer), resolve(`refused:${err.message}`)));
    });
    socket.close();
    record(`${nsp} anonymous`, `connect (${m.cookie} cookie)`, answer, cookie);
  };

  const lane = async (): Promise<void> => {
    for (let m = next(); m && !buildError; m = next()) {
      if (m.kind === 'connect') {
        await attemptConnect(m);
        continue;
      }
      // The message's slot, or the next one whose world is not being built again.
      let slot: Slot | undefined;
      for (let i = 0; !slot; i++) {
        const all = slots();
        const candidate = all[(m.slot + i) % all.length]!;
        if (candidate.world.building && i % all.length !== all.length - 1) continue;
        slot = await ready(candidate);
        // Every world is being built: wait for one (a loop of promises alone would starve the I/O).
        if (!slot && i % all.length === all.length - 1) await candidate.world.building;
      }
      const where = `${slot.nsp} ${slot.state}`;
      if (m.kind === 'raw') {
        const frame = m.frame.replace('{ns}', slot.nsp);
        (slot.socket.io.engine as unknown as { write(s: string): void }).write(frame);
        record(where, `raw ${m.frame.replace('{ns}', '')}`, 'raw', frame);
        continue;
      }
      const payload = m.refs ? resolveRefs(m.payload, pools.get) : m.payload;
      const answer = await ask(slot, m, payload);
      // Unknown names are counted together (random ones would make a row each).
      record(where, m.refs ? m.event : '(unknown event)', answer, payload);
      if (answer === 'ok' && CHANGES_STATE.has(m.event)) slot.world.broken = true;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (buildError) throw buildError;
}
