// Sockets in each state a participant can be in, reached the way a client reaches it (through the
// signalling), for the tests and the fuzzer that need many of them. Staff accounts are made once and
// lent out (each account costs a password hash); their cookies come from the app's sign-in book.
import type {
  InvitationView,
  JoinedSession,
  OfferView,
  ProducerView,
  QueueView,
} from '../../common/protocol';
import { connectCall, type EstablishedCall } from './calls';
import { connect, fakeRtpParameters, ok, type StaffRole, type TestApp, type TestSocket } from './testApp';
import { until } from './waiting';

export interface Staff {
  id: string;
  role: StaffRole;
  cookie: string;
}

/** Staff accounts by role and languages, made on first use, each lent to one holder at a time. */
export class StaffAccounts {
  readonly #free = new Map<string, Staff[]>();
  #made = 0;

  constructor(
    private readonly app: TestApp,
    private readonly prefix: string,
  ) {}

  async take(role: StaffRole, languages: string[]): Promise<Staff> {
    const key = `${role}:${languages.join(',')}`;
    const free = this.#free.get(key)?.pop();
    if (free) return free;
    const id = await this.app.createStaff(role, `${this.prefix}-${role}-${++this.#made}`, languages);
    const staff = { id, role, cookie: await this.app.cookieFor(id, role) };
    this.#keys.set(id, key);
    return staff;
  }

  readonly #keys = new Map<string, string>();

  release(staff: Staff): void {
    const key = this.#keys.get(staff.id);
    if (!key) return;
    const list = this.#free.get(key) ?? [];
    list.push(staff);
    this.#free.set(key, list);
  }
}

/** What a participant holds in a call once their media is set up: ids another socket may try. */
export interface HeldMedia {
  send: string;
  recv: string;
  producerId: string;
  /** A consumer of another participant's producer (absent when nobody else produces). */
  consumerId?: string;
}

export interface Seated {
  socket: TestSocket;
  token: string;
  join: JoinedSession & { producers: ProducerView[] };
  media?: HeldMedia;
}

export interface Ringing {
  caller: Seated;
  agent: Seated;
  volunteer: TestSocket;
  invitation: InvitationView;
}

let ssrc = 10_000;

/**
 * One world of sockets and the calls they are in, torn down as a whole: callers leave the line,
 * calls end, agents wrap up, sockets close, and the staff go back to the pool offline.
 */
export class Scene {
  readonly sockets: TestSocket[] = [];
  readonly staff: Staff[] = [];
  readonly sessions = new Set<string>();
  readonly #staffOf = new Map<TestSocket, Staff>();
  readonly #callers = new Set<TestSocket>();

  constructor(
    readonly app: TestApp,
    private readonly accounts: StaffAccounts,
  ) {}

  async caller(): Promise<TestSocket> {
    const socket = this.#track(await connect(this.app, '/caller'));
    this.#callers.add(socket);
    return socket;
  }

  /** A caller in line: no agent for `language` is free yet. */
  async waiting(language = 'kvk'): Promise<{ socket: TestSocket; resumeKey: string }> {
    const socket = await this.caller();
    const { resumeKey } = ok(
      await socket.request<QueueView & { resumeKey: string }>('lobby:request', { language, mode: 'video' }),
    );
    return { socket, resumeKey };
  }

  /** A signed-in agent, away or available. */
  async agent(
    languages: string[],
    presence: 'available' | 'away' = 'away',
  ): Promise<{ socket: TestSocket; staff: Staff }> {
    const staff = await this.#take('agent', languages);
    const socket = this.#track(await connect(this.app, '/agent', staff.cookie), staff);
    // (Answered once the agent is known to the lobby.) A wrap-up still owed from an earlier holder of
    // the account comes back on connecting: finish it first.
    const payload = presence === 'away' ? { presence, reason: 'break' as const } : { presence };
    if (!(await socket.request('agent:set-presence', payload)).ok) {
      ok(await socket.request('agent:wrap-up', { resolved: true }));
      ok(await socket.request('agent:set-presence', payload));
    }
    return { socket, staff };
  }

  async volunteer(
    languages: string[],
    presence: 'available' | 'away' = 'away',
  ): Promise<{ socket: TestSocket; staff: Staff }> {
    const staff = await this.#take('volunteer', languages);
    const socket = this.#track(await connect(this.app, '/volunteer', staff.cookie), staff);
    ok(await socket.request('volunteer:set-presence', { presence }));
    return { socket, staff };
  }

  /** An agent with a call offered to them, its caller waiting for the answer. */
  async offered(language: string): Promise<{ agent: TestSocket; caller: TestSocket; offer: OfferView }> {
    const { socket: agent } = await this.agent([language]);
    const { socket: caller } = await this.waiting(language);
    const offered = agent.next<OfferView>('agent:offer');
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    return { agent, caller, offer: await offered };
  }

  /** A two-way call, both sides joined. */
  async twoWay(language = 'kvk'): Promise<{ caller: Seated; agent: Seated }> {
    const { socket: agent } = await this.agent([language]);
    const call: EstablishedCall = await connectCall(agent, await this.caller(), language);
    this.sessions.add(call.callerJoin.sessionId);
    return {
      caller: { socket: call.caller, token: call.tokens.caller, join: call.callerJoin },
      agent: { socket: call.agent, token: call.tokens.agent, join: call.agentJoin },
    };
  }

  /** A call in `language` bridged to Korean: its agent answered, one volunteer is rung. */
  async ringing(language: string): Promise<Ringing> {
    const { socket: volunteer } = await this.volunteer([language, 'ko'], 'available');
    const invited = volunteer.next<InvitationView>('volunteer:invitation');
    invited.catch(() => undefined); // (awaited below, unless the call itself fails first)
    const { socket: agent } = await this.agent(['ko']);
    const call = await connectCall(agent, await this.caller(), language);
    this.sessions.add(call.callerJoin.sessionId);
    return {
      caller: { socket: call.caller, token: call.tokens.caller, join: call.callerJoin },
      agent: { socket: call.agent, token: call.tokens.agent, join: call.agentJoin },
      volunteer,
      invitation: await invited,
    };
  }

  /** The same, with the volunteer joined as the interpreter. */
  async threeWay(language: string): Promise<{ caller: Seated; agent: Seated; interpreter: Seated }> {
    const ringing = await this.ringing(language);
    const { token } = ok(
      await ringing.volunteer.request<{ token: string }>('volunteer:accept-invitation', {
        invitationId: ringing.invitation.invitationId,
      }),
    );
    const join = ok(await ringing.volunteer.request<Seated['join']>('session:join', { token }));
    return {
      caller: ringing.caller,
      agent: ringing.agent,
      interpreter: { socket: ringing.volunteer, token, join },
    };
  }

  /**
   * Each participant gets a send and a receive transport and one audio producer, then consumes the
   * next participant's producer: the ids a participant holds in a call with real media objects.
   */
  async media(seats: Seated[]): Promise<void> {
    for (const seat of seats) {
      const send = ok(
        await seat.socket.request<{ id: string }>('media:create-transport', { direction: 'send' }),
      );
      const recv = ok(
        await seat.socket.request<{ id: string }>('media:create-transport', { direction: 'recv' }),
      );
      const { producerId } = ok(
        await seat.socket.request<{ producerId: string }>('media:produce', {
          transportId: send.id,
          kind: 'audio',
          rtpParameters: fakeRtpParameters('audio', ++ssrc),
          source: 'microphone',
        }),
      );
      seat.media = { send: send.id, recv: recv.id, producerId };
    }
    if (seats.length < 2) return;
    for (const [i, seat] of seats.entries()) {
      const media = seat.media!;
      const other = seats[(i + 1) % seats.length]!.media!;
      const consumer = ok(
        await seat.socket.request<{ id: string }>('media:consume', {
          transportId: media.recv,
          producerId: other.producerId,
          rtpCapabilities: seat.join.routerRtpCapabilities,
        }),
      );
      ok(await seat.socket.request('media:resume-consumer', { consumerId: consumer.id }));
      media.consumerId = consumer.id;
    }
  }

  /** A socket opened elsewhere (a reconnect) that this scene should close with the rest. */
  adopt(socket: TestSocket, staff?: Staff): TestSocket {
    if (!staff) this.#callers.add(socket);
    return this.#track(socket, staff);
  }

  /** Every session one of this scene's staff is in, or that this scene opened. */
  #ownSessions() {
    const staff = new Set(this.staff.map((s) => s.id));
    return this.app.calls.sessions
      .all()
      .filter(
        (s) => this.sessions.has(s.id) || s.participants.some((p) => p.accountId && staff.has(p.accountId)),
      );
  }

  async dispose(): Promise<void> {
    const live = this.sockets.filter((s) => s.connected);
    // Callers leave the line first, so that no agent is offered them while the rest goes.
    await Promise.all(live.filter((s) => this.#callers.has(s)).map((s) => settle(s.request('lobby:cancel'))));
    for (const session of this.#ownSessions()) if (!session.ended) session.end('hangup');
    for (const staff of this.staff.filter((s) => s.role === 'agent')) {
      await until(() => this.#presence(staff) !== 'in-call');
      if (this.#presence(staff) !== 'wrap-up') continue;
      const socket =
        live.find((s) => s.connected && this.#staffOf.get(s) === staff) ??
        this.#track(await connect(this.app, '/agent', staff.cookie), staff);
      await settle(socket.request('agent:wrap-up', { resolved: true }));
    }
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
    this.#staffOf.clear();
    this.#callers.clear();
    for (const staff of this.staff) {
      // An account the server still counts as busy is not lent again (the next holder gets a new one).
      const offline = await until(() => this.#presence(staff) === 'offline', 3000).then(
        () => true,
        () => false,
      );
      if (offline) this.accounts.release(staff);
    }
    this.staff.length = 0;
    this.sessions.clear();
  }

  #presence(staff: Staff): string {
    const { agents, volunteers } = this.app.calls;
    return staff.role === 'agent' ? agents.presenceOf(staff.id) : volunteers.presenceOf(staff.id);
  }

  async #take(role: StaffRole, languages: string[]): Promise<Staff> {
    const staff = await this.accounts.take(role, languages);
    this.staff.push(staff);
    return staff;
  }

  #track(socket: TestSocket, staff?: Staff): TestSocket {
    this.sockets.push(socket);
    if (staff) this.#staffOf.set(socket, staff);
    return socket;
  }
}

/** Waits for a request's answer, whatever it is: clean-up goes on past refusals. */
async function settle(p: Promise<unknown>): Promise<void> {
  await Promise.race([p, new Promise((r) => setTimeout(r, 2000))]);
}
