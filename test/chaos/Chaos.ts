// The chaos run: a centre of three nodes with calls up and callers waiting, hit by one failure at a
// time. After each, it measures what the promises are about: how long video stopped on every call
// page, which waiting callers kept their place, which calls survived, and whether the call records
// still match what happened. `scripts/chaos.ts` and `test/cluster/chaos.test.ts` both drive this.
import type { Browser } from 'playwright-core';
import { inbound, launchChromium } from '../e2e/browser';
import { until } from '../helpers/waiting';
import { ChaosCluster, NODE_IDS, WAITING_DESK } from './ChaosCluster';
import {
  answerWaiting,
  closeAll,
  describeCall,
  hangUp,
  inCallView,
  leaveLine,
  putCallerInLine,
  putUpCall,
  shownPlace,
  videoOutcome,
  watchVideo,
  WAITING_LANGUAGE,
  type ChaosCall,
  type WaitingCaller,
} from './pages';
import { checkRecords, lastWaitRecorded } from './records';
import { SupervisorView } from './supervisor';

export const ACTIONS = [
  'kill-leader',
  'kill-host',
  'drain',
  'rolling-restart',
  'restart-redis',
  'stop-postgres',
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** The promise: video decoded again on every call page within this long of any failure. */
export const MEDIA_PROMISE_MS = 5000;
/** A call whose video is not back this long after the failure is counted as dropped. */
export const MEDIA_CAP_MS = 30_000;
/** How long a waiting caller's page and the lobby get to show the caller's place again. */
const PLACE_SETTLE_MS = 15_000;
/** How long the records get to catch up (a node journals them while PostgreSQL is away). */
const RECORDS_SETTLE_MS = 20_000;
/** A recorded wait may fall short of the harness's own count by this much (clocks, the offer's own time). */
const WAIT_TOLERANCE_MS = 3000;
/** How long PostgreSQL stays stopped. */
const POSTGRES_DOWN_MS = 10_000;

export interface ActionResult {
  action: ActionName | 'end';
  /** What was done, in words (which node, which signal). */
  did: string;
  /** The longest pause in decoded video over every call page; null if a call was not back within the cap. */
  mediaBackMs: number | null;
  callsKept: number;
  callsTotal: number;
  waitingKept: number;
  waitingTotal: number;
  recordsLost: number;
  duplicates: number;
  /** How the records compare, and anything else worth a line. */
  detail: string;
  elapsedMs: number;
}

export interface ChaosOptions {
  calls: number;
  waiting: number;
  log?: (line: string) => void;
}

export class Chaos {
  #calls: ChaosCall[] = [];
  #waiting: WaitingCaller[] = [];
  /** Callers put in line so far: each should have written one call record. */
  #joined = 0;
  #nextAgent = 1;
  #nextCaller = 1;
  #setupNotes: string[] = [];

  private constructor(
    readonly options: ChaosOptions,
    readonly cluster: ChaosCluster,
    readonly browser: Browser,
    readonly supervisor: SupervisorView,
    readonly log: (line: string) => void,
  ) {}

  static async start(options: ChaosOptions): Promise<Chaos> {
    const log = options.log ?? (() => undefined);
    // Enough agent accounts for every call to be replaced after every action.
    const cluster = await ChaosCluster.start({ agents: options.calls * (ACTIONS.length + 2), log });
    try {
      const browser = await launchChromium();
      return new Chaos(options, cluster, browser, new SupervisorView(cluster.balancer.url), log);
    } catch (err) {
      await cluster.close();
      throw err;
    }
  }

  /** Three nodes running, `calls` calls with video flowing and `waiting` callers in line. */
  async prepare(): Promise<void> {
    await this.cluster.refill();
    await until(async () => (await this.cluster.loads()) >= NODE_IDS.length, 30_000).catch(() => {
      this.#setupNotes.push('not every node reported its load within 30 s');
    });
    const url = this.cluster.balancer.url;
    let failures = 0;
    while (this.#calls.length < this.options.calls) {
      const agentName = `agent-${this.#nextAgent++}`;
      try {
        this.#calls.push(
          await putUpCall(this.browser, url, `call ${agentName}`, agentName, () => this.#joined++),
        );
        this.log(`  call up: ${agentName}`);
      } catch (err) {
        // An account can be stuck after a failure the server did not recover from; the next one is fresh.
        this.#setupNotes.push(`a call with ${agentName} could not be put up: ${(err as Error).message}`);
        this.log(`  a call with ${agentName} could not be put up: ${(err as Error).message}`);
        if (++failures > 2 || this.#nextAgent > this.options.calls * (ACTIONS.length + 2)) throw err;
      }
    }
    while (this.#waiting.length < this.options.waiting) {
      const label = `waiting caller ${this.#nextCaller++}`;
      this.#waiting.push(await putCallerInLine(this.browser, url, label, () => this.#joined++));
      this.log(`  ${label} in line`);
    }
    for (const w of this.#waiting) {
      const shown = await shownPlace(w.page);
      if (shown.position !== null) w.position = shown.position;
    }
  }

  /** Runs one action on a prepared centre and measures it. */
  async run(action: ActionName): Promise<ActionResult> {
    await this.prepare();
    const started = Date.now();
    const callsTotal = this.#calls.length;
    const waitingTotal = this.#waiting.length;
    const gaps = new Map<ChaosCall, number | null>(this.#calls.map((c) => [c, 0]));
    const droppedAt = new Map<ChaosCall, string>();
    const expected = () => ({
      joined: this.#joined,
      live: this.#calls.length,
      waiting: this.#waiting.length,
    });
    // What was already wrong in the records before this action (a record an earlier one left open)
    // is not this action's loss; the end of the run counts everything.
    const before = await checkRecords(this.cluster.databaseUrl, expected, 0);

    /** Runs one disruption with every call page watched, then waits for their video. */
    const disrupt = async (step: string, what: () => Promise<void>): Promise<void> => {
      const live = this.#calls.filter((c) => gaps.get(c) !== null);
      const watched = await Promise.all(
        live.flatMap((c) =>
          [c.caller, c.agent].map(async (page) => ({ c, page, since: await watchVideo(page) })),
        ),
      );
      const since = Math.min(...watched.map((w) => w.since), Date.now());
      await what();
      // At least 2 s after the disruption ended, so a pause that has just begun is seen.
      const notBefore = Date.now() + 2000;
      const outcomes = await Promise.all(
        watched.map(async (w) => ({
          ...w,
          ...(await videoOutcome(w.page, notBefore, since + MEDIA_CAP_MS)),
        })),
      );
      for (const o of outcomes) {
        const before = gaps.get(o.c);
        if (before === null || before === undefined) continue;
        const still = o.flowing && (await inCallView(o.page));
        gaps.set(o.c, still ? Math.max(before, o.maxGapMs) : null);
        if (!still) droppedAt.set(o.c, `${step}: ${await describeCall(o.c)}`);
      }
    };

    const did = await this.#act(action, disrupt);

    const kept = this.#calls.filter((c) => gaps.get(c) !== null);
    const dropped = this.#calls.filter((c) => gaps.get(c) === null);
    const worst = dropped.length > 0 ? null : Math.max(0, ...kept.map((c) => gaps.get(c) ?? 0));
    const droppedState = dropped.map((c) => `${c.label} at ${droppedAt.get(c) ?? '?'}`);
    const place = await this.#checkPlaces();
    // What is gone is let go, as its people would: a dropped call hung up, a lost caller's page closed.
    for (const c of dropped) await hangUp(c);
    for (const w of place.lost)
      if (!(await leaveLine(w))) place.notes.push(`${w.label} could not leave the line`);
    this.#calls = kept;
    this.#waiting = place.kept;
    const records = await checkRecords(this.cluster.databaseUrl, expected, RECORDS_SETTLE_MS);
    const carried =
      before.lost + before.duplicates > 0
        ? [`before it: ${before.lost} lost, ${before.duplicates} duplicates`]
        : [];
    const entries = await this.cluster.directoryEntries();
    const directory =
      entries === this.#calls.length
        ? []
        : [`session directory holds ${entries} entries for ${this.#calls.length} live calls`];
    const notes = [records.detail, ...carried, ...directory, ...place.notes, ...this.#setupNotes.splice(0)];
    if (dropped.length > 0) notes.push(`dropped: ${droppedState.join(' | ')}`);
    return {
      action,
      did,
      mediaBackMs: worst,
      callsKept: kept.length,
      callsTotal,
      waitingKept: place.kept.length,
      waitingTotal,
      recordsLost: Math.max(0, records.lost - before.lost),
      duplicates: Math.max(0, records.duplicates - before.duplicates),
      detail: notes.join('; '),
      elapsedMs: Date.now() - started,
    };
  }

  /**
   * The end: every call hung up; an agent for the waiting callers' language comes online and answers
   * each in turn, and the wait the lobby recorded for them must cover the whole time since they
   * joined (a caller re-entered the line after a failure would show a shorter wait); then every
   * record must have been written once and closed.
   */
  async finish(): Promise<ActionResult> {
    const started = Date.now();
    const callsTotal = this.#calls.length;
    const waiting = [...this.#waiting].sort((a, b) => a.position - b.position);
    this.#waiting = [];
    for (const c of this.#calls.splice(0)) await hangUp(c);
    const notes: string[] = [];
    let waitKept = 0;
    try {
      await answerWaiting(
        this.browser,
        this.cluster.balancer.url,
        WAITING_DESK,
        waiting,
        async (w, offeredAt) => {
          const recorded = await lastWaitRecorded(
            this.cluster.databaseUrl,
            WAITING_LANGUAGE,
            RECORDS_SETTLE_MS,
          );
          const least = offeredAt - w.joinedAt - WAIT_TOLERANCE_MS;
          if (recorded !== null && recorded >= least) waitKept++;
          else notes.push(`${w.label}: waited ${offeredAt - w.joinedAt} ms, recorded ${String(recorded)} ms`);
        },
      );
    } catch (err) {
      notes.push(`answering the waiting callers: ${(err as Error).message.split('\n')[0]}`);
    }
    for (const w of waiting) await closeAll([w.context]);
    const records = await checkRecords(
      this.cluster.databaseUrl,
      () => ({ joined: this.#joined, live: 0, waiting: 0 }),
      RECORDS_SETTLE_MS,
    );
    return {
      action: 'end',
      did: 'every call hung up, every waiting caller answered (their wait checked in the record)',
      mediaBackMs: 0,
      callsKept: callsTotal,
      callsTotal,
      waitingKept: waitKept,
      waitingTotal: waiting.length,
      recordsLost: records.lost,
      duplicates: records.duplicates,
      detail: [records.detail, ...notes].join('; '),
      elapsedMs: Date.now() - started,
    };
  }

  async close(): Promise<void> {
    await closeAll([...this.#calls.flatMap((c) => c.contexts), ...this.#waiting.map((w) => w.context)]);
    await this.browser.close().catch(() => undefined);
    await this.cluster.close();
  }

  /** The nodes' last output, live and gone. */
  output(): string {
    return this.cluster.output();
  }

  async #act(
    action: ActionName,
    disrupt: (step: string, what: () => Promise<void>) => Promise<void>,
  ): Promise<string> {
    const cluster = this.cluster;
    switch (action) {
      case 'kill-leader': {
        const leader = await this.#leader();
        await disrupt(`SIGKILL ${leader}`, () => cluster.kill(leader));
        return `SIGKILL the lobby leader ${leader} (hosting ${await this.#hosting(leader)})`;
      }
      case 'kill-host': {
        const host = await this.#busiestHost();
        const role = host === (await cluster.leader()) ? 'also the leader' : 'not the leader';
        const hosting = await this.#hosting(host);
        await disrupt(`SIGKILL ${host}`, () => cluster.kill(host));
        return `SIGKILL host ${host} (${hosting}, ${role})`;
      }
      case 'drain': {
        const host = await this.#busiestHost();
        const role = host === (await cluster.leader()) ? 'also the leader' : 'not the leader';
        const hosting = `${await this.#hosting(host)}, ${role}`;
        let code: number | null | 'hung' = null;
        await disrupt(`SIGTERM ${host}`, async () => {
          code = await cluster.drain(host);
        });
        return `SIGTERM drain of ${host} (${hosting}; exit ${String(code)})`;
      }
      case 'rolling-restart': {
        const codes: string[] = [];
        for (const id of NODE_IDS) {
          const leader = await cluster.leader();
          await disrupt(`SIGTERM ${id}${id === leader ? ' (leader)' : ''}`, async () => {
            const code = await cluster.drain(id);
            codes.push(`${id} ${String(code)}`);
          });
          await cluster.startNode(id);
        }
        return `rolling restart: SIGTERM drain then a fresh node, one at a time (exits: ${codes.join(', ')})`;
      }
      case 'restart-redis':
        await disrupt('Redis restart', async () => {
          await cluster.redis.restart({ signal: 'SIGTERM' });
        });
        return 'Redis restarted (SIGTERM, AOF kept)';
      case 'stop-postgres':
        await disrupt('PostgreSQL stop', async () => {
          await cluster.postgres.halt();
          await new Promise((r) => setTimeout(r, POSTGRES_DOWN_MS));
          await cluster.postgres.resume();
        });
        return `PostgreSQL stopped for ${POSTGRES_DOWN_MS / 1000} s`;
    }
  }

  async #leader(): Promise<string> {
    let leader: string | null = null;
    await until(async () => (leader = await this.cluster.leader()) !== null, 15_000);
    return leader!;
  }

  /** Calls hosted per node: for each live call, the host its directory entry names. */
  async #hosts(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const c of this.#calls) {
      // The agent's participant id, as the caller's page receives it.
      const remote = (await inbound(c.caller).catch(() => []))[0]?.participantId;
      const host = remote === undefined ? null : await this.cluster.hostOf(remote);
      if (host !== null) out.set(host, (out.get(host) ?? 0) + 1);
    }
    return out;
  }

  async #hosting(nodeId: string): Promise<string> {
    const n = (await this.#hosts()).get(nodeId) ?? 0;
    return `${n} call${n === 1 ? '' : 's'}`;
  }

  /** The node hosting most calls, preferring one that is not the leader (the leader has its own action). */
  async #busiestHost(): Promise<string> {
    const hosts = await this.#hosts();
    const leader = await this.cluster.leader();
    const ranked = [...this.cluster.nodes.keys()].sort(
      (a, b) => (hosts.get(b) ?? 0) - (hosts.get(a) ?? 0) || Number(a === leader) - Number(b === leader),
    );
    const notLeader = ranked.find((id) => id !== leader && (hosts.get(id) ?? 0) > 0);
    return notLeader ?? ranked[0]!;
  }

  /**
   * Which waiting callers still hold their place: the page shows the waiting view and the place it
   * showed before, less one for each caller ahead who was lost; and the lobby (the supervisor's
   * figures) counts at least as many in line. Polled until all agree or PLACE_SETTLE_MS.
   */
  async #checkPlaces(): Promise<{ kept: WaitingCaller[]; lost: WaitingCaller[]; notes: string[] }> {
    const ordered = [...this.#waiting].sort((a, b) => a.position - b.position);
    const deadline = Date.now() + PLACE_SETTLE_MS;
    for (;;) {
      const kept: WaitingCaller[] = [];
      const lost: WaitingCaller[] = [];
      const notes: string[] = [];
      const shown: Array<{ w: WaitingCaller; position: number | null }> = [];
      for (const w of ordered) {
        const now = await shownPlace(w.page);
        const expected = w.position - lost.length;
        if (now.waiting && now.position === expected) kept.push(w);
        else {
          lost.push(w);
          notes.push(
            `${w.label}: was ${w.position}, expected ${expected}, page shows ${now.waiting ? `place ${String(now.position)}` : 'no place'}`,
          );
        }
        shown.push({ w, position: now.position });
      }
      const inLine = await this.supervisor.waitingFor(WAITING_LANGUAGE);
      const agree = inLine !== null && inLine >= kept.length;
      if ((lost.length === 0 && agree) || Date.now() > deadline) {
        if (!agree) {
          notes.push(
            `the lobby counts ${String(inLine)} in line for ${WAITING_LANGUAGE}, pages show ${kept.length}`,
          );
          // The pages cannot all be right: those beyond the lobby's count are lost, latest first.
          const over = kept.length - (inLine ?? 0);
          lost.push(...kept.splice(kept.length - over, over));
        }
        for (const { w, position } of shown) if (position !== null && kept.includes(w)) w.position = position;
        return { kept, lost, notes };
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
