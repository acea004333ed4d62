// Who may do what: every client event × every role and state a socket can be in × the socket's own
// call's objects or another call's. The table below is the spec; each cell is one test against the
// real app (real worker, real SQLite), on a fresh world of its own, and a refusal must change nothing.
// MATRIX_PRINT=1 prints the table as this server answers it, to compare with the spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessages, type ClientMessageName } from '../../common/protocol';
import { Scene, StaffAccounts, type HeldMedia, type Seated } from '../helpers/scenes';
import {
  connect,
  fakeRtpParameters,
  ok,
  startTestApp,
  type TestApp,
  type TestSocket,
} from '../helpers/testApp';
import { until } from '../helpers/waiting';

// ok: the request succeeds. Otherwise the refusal's code:
const CODES = {
  unk: 'unknown-event', // not an event of this namespace
  fbd: 'forbidden',
  st: 'invalid-state',
  nf: 'not-found',
} as const;

// Columns: the asking socket.
//  anon       /caller, connected, nothing asked yet
//  waiting    /caller, in line
//  caller     /caller, in a two-way call
//  ended      /caller, after their call ended (holds a survey key)
//  agent      /agent, signed in (away)
//  avail      /agent, available, nothing offered
//  offered    /agent, with a call offered to them
//  in-call    /agent, in a two-way call
//  wrap-up    /agent, after their call ended
//  vol        /volunteer, signed in and available
//  invited    /volunteer, rung for a call
//  interp     /volunteer, interpreting a three-way call
// A cell `own/other` runs twice: with the socket's own object (its token, transport, producer,
// consumer, offer, invitation, resume or survey key) and with another call's (or another agent's,
// volunteer's, caller's). A single value: the event names no object, or the socket has none of its
// own, and it is asked with another call's. Cells marked * have a post-condition below.
const SPEC = `
event                        anon  waiting caller  ended  agent  avail  offered in-call  wrap-up  vol  invited  interp
lobby:request                ok    st      st      ok     unk    unk    unk     unk      unk      unk  unk      unk
lobby:cancel                 st    ok      st      st     unk    unk    unk     unk      unk      unk  unk      unk
lobby:resume                 nf    ok/nf   nf      nf     unk    unk    unk     unk      unk      unk  unk      unk
lobby:choose-fallback        st    ok      st      st     unk    unk    unk     unk      unk      unk  unk      unk
call:rate                    nf    nf      nf      ok/nf  unk    unk    unk     unk      unk      unk  unk      unk
agent:set-presence           unk   unk     unk     unk    ok     ok     st      st       st       unk  unk      unk
agent:accept-offer           unk   unk     unk     unk    nf     nf     ok/nf   nf       nf       unk  unk      unk
agent:decline-offer          unk   unk     unk     unk    nf     nf     ok/nf   nf       nf       unk  unk      unk
agent:request-interpreter    unk   unk     unk     unk    fbd    fbd    fbd     ok       fbd      unk  unk      unk
agent:remove-interpreter     unk   unk     unk     unk    fbd    fbd    fbd     st       fbd      unk  unk      unk
agent:wrap-up                unk   unk     unk     unk    st     st     st      st       ok       unk  unk      unk
volunteer:set-presence       unk   unk     unk     unk    unk    unk    unk     unk      unk      ok   st       st
volunteer:accept-invitation  unk   unk     unk     unk    unk    unk    unk     unk      unk      nf   ok/nf    nf
volunteer:decline-invitation unk   unk     unk     unk    unk    unk    unk     unk      unk      nf   ok/nf    nf
session:join                 fbd   fbd     ok/fbd  fbd    fbd    fbd    fbd     ok/fbd   fbd      fbd  fbd      ok/fbd
session:hangup               fbd   fbd     ok      fbd    fbd    fbd    fbd     ok       fbd      fbd  fbd      ok*
media:create-transport       fbd   fbd     ok      fbd    fbd    fbd    fbd     ok       fbd      fbd  fbd      ok
media:connect-transport      fbd   fbd     ok/nf   fbd    fbd    fbd    fbd     ok/nf    fbd      fbd  fbd      ok/nf
media:produce                fbd   fbd     ok/nf   fbd    fbd    fbd    fbd     ok/nf    fbd      fbd  fbd      ok/nf
media:consume                fbd   fbd     ok/nf   fbd    fbd    fbd    fbd     ok/nf    fbd      fbd  fbd      ok/nf
media:resume-consumer        fbd   fbd     ok/nf   fbd    fbd    fbd    fbd     ok/nf    fbd      fbd  fbd      ok/nf
media:set-producer-paused    fbd   fbd     ok/nf   fbd    fbd    fbd    fbd     ok/nf    fbd      fbd  fbd      ok/nf
media:restart                fbd   fbd     ok      fbd    fbd    fbd    fbd     ok       fbd      fbd  fbd      ok
chat:send                    fbd   fbd     ok      fbd    fbd    fbd    fbd     ok       fbd      fbd  fbd      ok
rtt:update                   fbd   fbd     ok      fbd    fbd    fbd    fbd     ok       fbd      fbd  fbd      ok
no:such-event                unk   unk     unk     unk    unk    unk    unk     unk      unk      unk  unk      unk
`;

const STATES = [
  'anon',
  'waiting',
  'caller',
  'ended',
  'agent',
  'avail',
  'offered',
  'in-call',
  'wrap-up',
  'vol',
  'invited',
  'interp',
] as const;
type State = (typeof STATES)[number];
type Target = 'own' | 'other';
type EventName = ClientMessageName | 'no:such-event';

interface Cell {
  event: EventName;
  state: State;
  target: Target;
  /** 'ok' or an error code. */
  expected: string;
  post: boolean;
  /** The row gives own and other answers. */
  pair: boolean;
}

function parseSpec(spec: string): Cell[] {
  const [header, ...rows] = spec.trim().split('\n');
  const states = header!.trim().split(/\s+/).slice(1);
  expect(states).toEqual([...STATES]);
  const cells: Cell[] = [];
  for (const row of rows) {
    const [event, ...values] = row.trim().split(/\s+/) as [EventName, ...string[]];
    expect(values, event).toHaveLength(STATES.length);
    for (const [i, value] of values.entries()) {
      const post = value.endsWith('*');
      const answers = value.replace('*', '').split('/');
      const targets: Target[] = answers.length === 2 ? ['own', 'other'] : ['other'];
      for (const [j, target] of targets.entries()) {
        const short = answers[j]!;
        const expected = short === 'ok' ? 'ok' : CODES[short as keyof typeof CODES];
        expect(expected, `${event} ${value}`).toBeDefined();
        cells.push({ event, state: STATES[i]!, target, expected, post, pair: targets.length === 2 });
      }
    }
  }
  return cells;
}

const CELLS = parseSpec(SPEC);

/** The asking socket, and what it holds of its own. */
interface Actor {
  socket: TestSocket;
  /** The call it is in (or was in): its seat and everyone's. */
  call?: { self: Seated; seats: Seated[] };
  resumeKey?: string;
  surveyKey?: string;
  offerId?: string;
  invitationId?: string;
}

// Each state in its own languages, so that no two worlds' callers and staff are matched by accident.
const ACTORS: Record<State, (scene: Scene) => Promise<Actor>> = {
  anon: async (scene) => ({ socket: await scene.caller() }),
  waiting: async (scene) => {
    const { socket, resumeKey } = await scene.waiting('kvk');
    return { socket, resumeKey };
  },
  caller: async (scene) => {
    const call = await scene.twoWay('kvk');
    return { socket: call.caller.socket, call: { self: call.caller, seats: [call.caller, call.agent] } };
  },
  ended: async (scene) => {
    const call = await scene.twoWay('kvk');
    const survey = call.caller.socket.next<{ surveyKey: string }>('call:survey');
    ok(await call.agent.socket.request('session:hangup'));
    const { surveyKey } = await survey;
    return { socket: call.caller.socket, call: { self: call.caller, seats: [] }, surveyKey };
  },
  agent: async (scene) => ({ socket: (await scene.agent(['kvk'])).socket }),
  avail: async (scene) => ({ socket: (await scene.agent(['kvk'], 'available')).socket }),
  offered: async (scene) => {
    const { agent, offer } = await scene.offered('kvk');
    return { socket: agent, offerId: offer.offerId };
  },
  'in-call': async (scene) => {
    const call = await scene.twoWay('kvk');
    return { socket: call.agent.socket, call: { self: call.agent, seats: [call.agent, call.caller] } };
  },
  'wrap-up': async (scene) => {
    const call = await scene.twoWay('kvk');
    const ended = call.agent.socket.next('session:ended');
    ok(await call.caller.socket.request('session:hangup'));
    await ended;
    await until(() => scene.app.calls.agents.presenceOf(scene.staff[0]!.id) === 'wrap-up');
    return { socket: call.agent.socket, call: { self: call.agent, seats: [] } };
  },
  vol: async (scene) => ({ socket: (await scene.volunteer(['vi', 'ko'], 'available')).socket }),
  invited: async (scene) => {
    const ringing = await scene.ringing('vi');
    return { socket: ringing.volunteer, invitationId: ringing.invitation.invitationId };
  },
  interp: async (scene) => {
    const call = await scene.threeWay('vi');
    const seats = [call.interpreter, call.caller, call.agent];
    return { socket: call.interpreter.socket, call: { self: call.interpreter, seats } };
  },
};

/**
 * What lives beside the asking socket: another call with media, another agent's offer, another
 * volunteer's invitation. Shared by the cells (a refusal changes nothing) and built again whenever a
 * cell disturbed it.
 */
interface Others {
  scene: Scene;
  call: { caller: Seated; agent: Seated; sessionId: string };
  offerId: string;
  invitationId: string;
}

async function buildOthers(scene: Scene): Promise<Others> {
  const call = await scene.twoWay('ase');
  await scene.media([call.caller, call.agent]);
  const { offer } = await scene.offered('ja');
  const ringing = await scene.ringing('th');
  return {
    scene,
    call: { ...call, sessionId: call.caller.join.sessionId },
    offerId: offer.offerId,
    invitationId: ringing.invitation.invitationId,
  };
}

/** The other call is live with both its participants seated and connected, as it was built. */
function othersIntact(app: TestApp, others: Others): boolean {
  const session = app.calls.sessions.get(others.call.sessionId);
  return (
    session !== undefined &&
    !session.ended &&
    session.participants.length === 2 &&
    session.participants.every((p) => p.connected) &&
    others.call.caller.socket.connected &&
    others.call.agent.socket.connected
  );
}

const FORGED = 'x'.repeat(32);
let mid = 10;

/** The actor's own media, set up on first use (with everyone else's in its call). */
async function ownMedia(scene: Scene, actor: Actor): Promise<{ mine: HeldMedia; next: HeldMedia }> {
  const call = actor.call;
  if (!call || call.seats.length < 2) throw new Error('this state holds no media of its own');
  if (!call.self.media) await scene.media(call.seats);
  const i = call.seats.indexOf(call.self);
  return { mine: call.self.media!, next: call.seats[(i + 1) % call.seats.length]!.media! };
}

/** The next participant of the actor's call starts a new video producer; its id. */
async function freshProducerNextTo(actor: Actor): Promise<string> {
  const call = actor.call!;
  const next = call.seats[(call.seats.indexOf(call.self) + 1) % call.seats.length]!;
  const { producerId } = ok(
    await next.socket.request<{ producerId: string }>('media:produce', {
      transportId: next.media!.send,
      kind: 'video',
      rtpParameters: { ...fakeRtpParameters('video', 60_000 + mid), mid: String(++mid) },
      source: 'camera',
    }),
  );
  return producerId;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`this state holds no ${what} of its own`);
  return value;
}

type PayloadFor = (
  ctx: { scene: Scene; actor: Actor; others: () => Promise<Others> },
  target: Target,
) => Promise<unknown>;

// Each event's payload: valid, naming the actor's own object or another call's.
const PAYLOADS: Record<EventName, PayloadFor> = {
  'lobby:request': async () => ({ language: 'kvk', mode: 'video' }),
  'lobby:cancel': async () => undefined,
  'lobby:resume': async ({ actor }, t) => ({
    resumeKey: t === 'own' ? need(actor.resumeKey, 'resume key') : FORGED,
  }),
  'lobby:choose-fallback': async () => ({ choice: 'wait' }),
  'call:rate': async ({ actor }, t) => ({
    surveyKey: t === 'own' ? need(actor.surveyKey, 'survey key') : FORGED,
    rating: 5,
  }),
  'agent:set-presence': async () => ({ presence: 'available' }),
  'agent:accept-offer': async ({ actor, others }, t) => ({
    offerId: t === 'own' ? need(actor.offerId, 'offer') : (await others()).offerId,
  }),
  'agent:decline-offer': async (ctx, t) => PAYLOADS['agent:accept-offer'](ctx, t),
  'agent:request-interpreter': async () => ({}),
  'agent:remove-interpreter': async () => ({ replace: false }),
  'agent:wrap-up': async () => ({ resolved: true, category: 'information' }),
  'volunteer:set-presence': async () => ({ presence: 'available' }),
  'volunteer:accept-invitation': async ({ actor, others }, t) => ({
    invitationId: t === 'own' ? need(actor.invitationId, 'invitation') : (await others()).invitationId,
  }),
  'volunteer:decline-invitation': async (ctx, t) => PAYLOADS['volunteer:accept-invitation'](ctx, t),
  // Another call's agent token: whoever presents it is not that agent.
  'session:join': async ({ actor, others }, t) => ({
    token: t === 'own' ? need(actor.call?.self.token, 'token') : (await others()).call.agent.token,
  }),
  'session:hangup': async () => undefined,
  'media:create-transport': async () => ({ direction: 'send' }),
  'media:connect-transport': async ({ scene, actor, others }, t) => ({
    transportId:
      t === 'own' ? (await ownMedia(scene, actor)).mine.send : (await others()).call.caller.media!.send,
    dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
  }),
  'media:produce': async ({ scene, actor, others }, t) => ({
    transportId:
      t === 'own' ? (await ownMedia(scene, actor)).mine.send : (await others()).call.caller.media!.send,
    kind: 'video',
    rtpParameters: { ...fakeRtpParameters('video', 50_000 + mid), mid: String(++mid) },
    source: 'camera',
  }),
  'media:consume': async ({ scene, actor, others }, t) => {
    const { mine } = actor.call?.seats.length ? await ownMedia(scene, actor) : { mine: undefined };
    const other = (await others()).call;
    return {
      transportId: mine?.recv ?? other.agent.media!.recv,
      // Own: a producer of the call not consumed yet (the one already consumed is refused twice).
      producerId: t === 'own' ? await freshProducerNextTo(actor) : other.caller.media!.producerId,
      rtpCapabilities: (actor.call?.self ?? other.agent).join.routerRtpCapabilities,
    };
  },
  'media:resume-consumer': async ({ scene, actor, others }, t) => ({
    consumerId:
      t === 'own'
        ? (await ownMedia(scene, actor)).mine.consumerId
        : (await others()).call.agent.media!.consumerId,
  }),
  'media:set-producer-paused': async ({ scene, actor, others }, t) => ({
    producerId:
      t === 'own'
        ? (await ownMedia(scene, actor)).mine.producerId
        : (await others()).call.caller.media!.producerId,
    paused: true,
  }),
  'media:restart': async () => undefined,
  'chat:send': async () => ({ text: 'hello' }),
  'rtt:update': async () => ({ text: 'hel' }),
  'no:such-event': async () => ({}),
};

// What must hold after the cells marked *.
const POST: Partial<Record<string, (actor: Actor, app: TestApp) => Promise<void>>> = {
  // An interpreter's hang-up means "I leave": the call goes on for the caller and the agent.
  'session:hangup interp': async (actor, app) => {
    const [interpreter, caller, agent] = actor.call!.seats as [Seated, Seated, Seated];
    const session = app.calls.sessions.get(interpreter.join.sessionId);
    expect(session?.ended, 'the call goes on').toBe(false);
    expect(session?.participant(interpreter.join.participantId), 'the interpreter left').toBeUndefined();
    expect(session?.participant(caller.join.participantId)).toBeDefined();
    expect(session?.participant(agent.join.participantId)).toBeDefined();
    const heard = agent.socket.next<{ text: string }>('chat:message');
    ok(await caller.socket.request('chat:send', { text: 'still here' }));
    expect((await heard).text).toBe('still here');
  },
};

let app: TestApp;
let accounts: StaffAccounts;
let others: Others | undefined;
const answers = new Map<string, string>();

beforeAll(async () => {
  app = await startTestApp(
    // Nothing offered or rung here expires while the matrix runs.
    { OFFER_TIMEOUT_MS: '600000', INVITATION_TIMEOUT_MS: '600000', FALLBACK_AFTER_MS: '3600000' },
  );
  accounts = new StaffAccounts(app, 'matrix');
});

afterAll(async () => {
  await others?.scene.dispose();
  if (process.env['MATRIX_PRINT']) process.stdout.write(printAnswers());
  await app.stop();
}, 60_000);

async function othersNow(): Promise<Others> {
  if (others && !othersIntact(app, others)) {
    await others.scene.dispose();
    others = undefined;
  }
  others ??= await buildOthers(new Scene(app, accounts));
  return others;
}

describe('authorization matrix: every event × every role and state × own call or another', () => {
  for (const state of STATES) {
    describe(state, () => {
      for (const cell of CELLS.filter((c) => c.state === state)) {
        const name = `${cell.event}${cell.pair ? ` (${cell.target})` : ''} → ${cell.expected}`;
        it(name, async () => {
          const scene = new Scene(app, accounts);
          let disturbed = false;
          try {
            const actor = await ACTORS[state](scene);
            const payload = await PAYLOADS[cell.event]({ scene, actor, others: othersNow }, cell.target);
            const before = others && othersIntact(app, others);
            const ack = await actor.socket.request(cell.event, payload);
            const answer = ack.ok ? 'ok' : ack.error.code;
            answers.set(`${cell.event} ${state} ${cell.target}`, answer);
            expect(answer).toBe(cell.expected);
            if (cell.post) await POST[`${cell.event} ${state}`]!(actor, app);
            if (!ack.ok) {
              // A refusal changes nothing: the asker's call goes on, and so does the other one.
              const own = actor.call?.seats.length ? actor.call.self.join.sessionId : undefined;
              if (own) expect(app.calls.sessions.get(own)?.ended, 'own call still live').toBe(false);
              if (before) expect(othersIntact(app, others!), 'the other call untouched').toBe(true);
            }
          } catch (err) {
            disturbed = true;
            throw err;
          } finally {
            await scene.dispose();
            if (disturbed && others && !othersIntact(app, others)) {
              await others.scene.dispose();
              others = undefined;
            }
          }
        });
      }
    });
  }
});

describe('staff namespaces refuse a socket before any event', () => {
  it.each([
    ['/agent', 'no cookie', 'unauthenticated'],
    ['/volunteer', 'no cookie', 'unauthenticated'],
    ['/agent', 'a forged cookie', 'unauthenticated'],
    ['/volunteer', "an agent's cookie", 'forbidden'],
    ['/agent', "a volunteer's cookie", 'forbidden'],
  ] as const)('%s with %s → %s', async (nsp, who, code) => {
    let cookie: string | undefined;
    if (who === 'a forged cookie') cookie = `relay_session=${FORGED}`;
    if (who === "an agent's cookie") cookie = (await accounts.take('agent', ['kvk'])).cookie;
    if (who === "a volunteer's cookie") cookie = (await accounts.take('volunteer', ['vi', 'ko'])).cookie;
    await expect(connect(app, nsp, cookie)).rejects.toThrow(code);
  });
});

/** The answers this run got, laid out like SPEC. */
function printAnswers(): string {
  const short = Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, k]));
  const events = [...new Set(CELLS.map((c) => c.event))];
  const lines = events.map((event) => {
    const values = STATES.map((state) => {
      const own = answers.get(`${event} ${state} own`);
      const other = answers.get(`${event} ${state} other`) ?? '?';
      const s = (a: string) => short[a] ?? a;
      return own ? `${s(own)}/${s(other)}` : s(other);
    });
    return [event.padEnd(29), ...values.map((v) => v.padEnd(8))].join('');
  });
  return `\nanswers:\n${lines.join('\n')}\n`;
}

// Keeps the spec honest: every client event has a row.
it('the spec has a row for every client event', () => {
  const events = new Set(CELLS.map((c) => c.event));
  for (const name of Object.keys(ClientMessages)) expect(events.has(name as EventName), name).toBe(true);
});
