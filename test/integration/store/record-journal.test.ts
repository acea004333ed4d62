/**
 * PostgreSQL goes away while calls go on: call-record writes wait in the local journal and reach the
 * database, each exactly once, when it is back. The server here is this file's own, so stopping it
 * (`pg_ctl stop -m fast`, as an outage or a restart would) touches no other test.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OfferView } from '../../../common/protocol';
import { createLogger } from '../../../server/src/logger';
import { openStore, type Store, NotFoundError, ValidationError } from '../../../server/src/store';
import { BufferedCallRecords } from '../../../server/src/store/BufferedCallRecords';
import { RecordJournal } from '../../../server/src/store/RecordJournal';
import { recordOp } from '../../../server/src/store/recordOps';
import { realScheduler } from '../../../server/src/util/scheduler';
import { connectCall } from '../../helpers/calls';
import { startPostgres, type PostgresServer } from '../../helpers/postgres';
import { scrapeMetrics, valueOf } from '../../helpers/prometheus';
import { recordingLog } from '../../helpers/recordingLog';
import { connect, ok, startTestApp } from '../../helpers/testApp';
import { makeTempDir } from './helpers';

let server: PostgresServer;
let url: string;
let tmp: ReturnType<typeof makeTempDir>;
let halted = false;

const halt = async () => {
  await server.halt();
  halted = true;
};
const resume = async () => {
  await server.resume();
  halted = false;
};

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  url = await server.createDatabase();
  tmp = makeTempDir();
});
afterEach(async () => {
  if (halted) await resume();
  tmp.cleanup();
});

const backoff = { minMs: 100, maxMs: 500 };
// The file name of the one-process default (a cluster node's carries its NODE_ID).
const JOURNAL_FILE = 'call-records.journal';
const TOKEN = 'metrics-token-0123456789abcdef';

/** A buffered writer over a store of its own, journaling into `dir`. */
function buffered(
  store: Store,
  dir: string,
  { maxBytes = 1024 * 1024, log = createLogger('silent'), writeTimeoutMs = 5000 } = {},
) {
  return new BufferedCallRecords({
    target: store.calls,
    journal: RecordJournal.open(path.join(dir, JOURNAL_FILE), { maxBytes }),
    scheduler: realScheduler(),
    log,
    backoff,
    writeTimeoutMs,
  });
}

/**
 * A database that stops answering without closing anything, as behind a cut network: every server
 * process of the database (and the postmaster) is stopped with SIGSTOP until `thaw`.
 */
async function freeze(databaseUrl: string): Promise<{ thaw: () => void }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  await client.end();
  const backends = rows.map((r) => r.pid);
  const postmaster = Number(
    execFileSync('ps', ['-o', 'ppid=', '-p', String(backends[0])], { encoding: 'utf8' }),
  );
  const pids = [postmaster, ...backends];
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return { thaw: () => pids.forEach((pid) => process.kill(pid, 'SIGCONT')) };
}

async function newAgent(store: Store, username: string): Promise<string> {
  const account = await store.accounts.create({
    username,
    displayName: `Agent ${username}`,
    role: 'agent',
    languages: ['kvk'],
    password: 'correct horse battery staple',
  });
  return account.id;
}

describe('call records while PostgreSQL is down', () => {
  it('lets a whole call happen with the database stopped, then writes its record exactly once', async () => {
    const app = await startTestApp({ DATABASE_URL: url, RECORD_JOURNAL_DIR: tmp.dir, METRICS_TOKEN: TOKEN });
    try {
      const { cookie, id: agentId } = await app.addAgent('outage1');
      // Staff sign in while the database answers; the outage starts before the caller arrives.
      const agent = await connect(app, '/agent', cookie);
      const caller = await connect(app, '/caller');
      await halt();

      const call = await connectCall(agent, caller);
      const survey = caller.next<{ surveyKey: string }>('call:survey');
      const ended = agent.next('session:ended');
      ok(await caller.request('session:hangup', null));
      await ended;
      ok(await caller.request('call:rate', { surveyKey: (await survey).surveyKey, rating: 4 }));
      const presence = ok(
        await agent.request<{ presence: string }>('agent:wrap-up', {
          resolved: true,
          category: 'information',
          note: 'bus pass renewal',
        }),
      );
      expect(presence.presence).toBe('available');
      expect(call.callerJoin.role).toBe('caller');
      // Started, answered, ended, rated, wrapped up, the call's 7 events (queued, offered a
      // fallback, offered, answered, ended, wrapped up, rated) and the agent's presence changes
      // (available, offered, in call, wrap-up, available), which take the same path: all on local disk.
      expect(app.records?.stats).toMatchObject({ pending: 17, lost: 0 });
      const during = await scrapeMetrics(app.url, TOKEN);
      expect(valueOf(during, 'relay_record_journal_writes')).toBe(17);
      expect(valueOf(during, 'relay_record_journal_bytes')).toBeGreaterThan(0);
      expect(valueOf(during, 'relay_record_writes_lost_total')).toBe(0);

      await resume();
      await app.records?.whenEmpty();
      const { inside, edges } = await app.store.presence.overlapping(0, Date.now() + 1000);
      // The first available interval ends with the offer to the caller already waiting, mostly in
      // the same millisecond: a zero-length interval is no time spent, and is not summed.
      const spent = inside.filter((t) => t.state !== 'available');
      expect(spent.map((t) => [t.state, t.intervals]).sort()).toEqual(
        [
          ['in-call', 1],
          ['offered', 1],
          ['wrap-up', 1],
        ].sort(),
      );
      expect(inside.filter((t) => t.state === 'available').map((t) => t.intervals)).toEqual(
        inside.some((t) => t.state === 'available') ? [1] : [],
      );
      expect(edges.map((e) => [e.state, e.end])).toEqual([['available', null]]);
      const records = await app.store.calls.list({});
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(record).toMatchObject({
        callerLanguage: 'kvk',
        mode: 'video',
        agentId,
        interpreterId: null,
        outcome: 'completed',
        rating: 4,
        resolved: true,
        category: 'information',
        wrapNote: 'bus pass renewal',
      });
      // The times are when things happened, not when the journal was written.
      expect(record?.answeredAt).toBeGreaterThanOrEqual(record?.startedAt ?? Infinity);
      expect(record?.endedAt).toBeGreaterThanOrEqual(record?.answeredAt ?? Infinity);
      const { events } = await app.store.history.range(0, Date.now() + 1);
      expect(events.map((e) => e.type).sort()).toEqual([
        'answered',
        'ended',
        'fallback-offered',
        'offered',
        'queued',
        'rated',
        'wrapped-up',
      ]);
      expect(fs.statSync(path.join(tmp.dir, JOURNAL_FILE)).size).toBe(0);
      expect(valueOf(await scrapeMetrics(app.url, TOKEN), 'relay_record_journal_writes')).toBe(0);
      caller.close();
      agent.close();
    } finally {
      await app.stop();
    }
  });

  it('replays what a closed app left in the journal at the next start, before closing calls left open', async () => {
    const env = { DATABASE_URL: url, RECORD_JOURNAL_DIR: tmp.dir };
    const first = await startTestApp(env);
    let recordId: string;
    try {
      const { cookie } = await first.addAgent('outage2');
      const agent = await connect(first, '/agent', cookie);
      const caller = await connect(first, '/caller');
      // The call's start reaches the database; everything after it is journaled.
      ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
      const [open] = await first.store.calls.list({});
      recordId = open!.id;
      await halt();
      const offered = agent.next<OfferView>('agent:offer');
      ok(await agent.request('agent:set-presence', { presence: 'available' }));
      const matched = caller.next<{ token: string }>('lobby:matched');
      const { token } = ok(
        await agent.request<{ token: string }>('agent:accept-offer', { offerId: (await offered).offerId }),
      );
      ok(await agent.request('session:join', { token }));
      ok(await caller.request('session:join', { token: (await matched).token }));
      const ended = agent.next('session:ended');
      ok(await agent.request('session:hangup', null));
      await ended;
      ok(await agent.request('agent:wrap-up', { resolved: false }));
      // Answered, ended, wrapped up; the events offered, answered, ended, wrapped up; and the agent's
      // five presence changes on the same path.
      expect(first.records?.stats.pending).toBe(12);
      caller.close();
      agent.close();
    } finally {
      // Closed without draining: the journal stays as the process left it.
      await first.close();
      fs.rmSync(first.dir, { recursive: true, force: true });
    }

    await resume();
    const second = await startTestApp(env);
    try {
      const records = await second.store.calls.list({});
      expect(records).toHaveLength(1);
      // Not "failed" by the sweep of calls left open: its end was in the journal.
      expect(records[0]).toMatchObject({ id: recordId, outcome: 'completed', resolved: false });
      expect(records[0]?.answeredAt).not.toBeNull();
      expect(second.records?.stats.pending).toBe(0);
      const { events } = await second.store.history.range(0, Date.now() + 1);
      expect(events.map((e) => e.type).sort()).toEqual([
        'answered',
        'ended',
        'fallback-offered',
        'offered',
        'queued',
        'wrapped-up',
      ]);
    } finally {
      await second.stop();
    }
  });
});

describe('the buffered call-record writer on a real PostgreSQL', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ url });
  });
  afterEach(async () => {
    await store.close();
  });

  it('writes nothing twice when the same journal is replayed twice', async () => {
    const agentId = await newAgent(store, 'replay');
    const records = buffered(store, tmp.dir);
    await halt();
    const { id } = await records.start({ callerLanguage: 'kvk', mode: 'video' });
    await records.answered(id, { agentId });
    await records.ended(id, { outcome: 'completed', waitedMs: 1200 });
    await records.wrapUp(id, { resolved: true, category: 'welfare' });
    await records.rate(id, 5);
    // The call's event log travels the same path, keyed by each write's own id.
    await records.event(id, { type: 'answered', agentId, waitedMs: 1200 });
    await records.event(id, { type: 'rated', rating: 5 });
    expect(records.stats.pending).toBe(7);
    const saved = fs.readFileSync(path.join(tmp.dir, JOURNAL_FILE));

    await resume();
    expect(await records.drain()).toBe(true);
    await records.close();
    const once = await store.calls.list({});
    const eventsOnce = (await store.history.range(0, Date.now() + 86_400_000)).events;

    // A crash after the writes but before the journal was emptied leaves the same file behind.
    const again = path.join(tmp.dir, 'again');
    fs.mkdirSync(again);
    fs.writeFileSync(path.join(again, JOURNAL_FILE), saved);
    const replay = buffered(store, again);
    expect(replay.stats.pending).toBe(7);
    expect(await replay.drain()).toBe(true);
    await replay.close();
    const eventsTwice = (await store.history.range(0, Date.now() + 86_400_000)).events;
    expect(eventsTwice).toEqual(eventsOnce);
    expect(eventsTwice.map((e) => e.type)).toEqual(['answered', 'rated']);

    const twice = await store.calls.list({});
    expect(twice).toEqual(once);
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatchObject({
      id,
      agentId,
      outcome: 'completed',
      waitedMs: 1200,
      resolved: true,
      category: 'welfare',
      rating: 5,
    });
  });

  it('does not journal a refused write: a missing account or a bad value is an error, as before', async () => {
    const records = buffered(store, tmp.dir);
    const { id } = await records.start({ callerLanguage: 'kvk', mode: 'text' });
    await expect(records.answered(id, { agentId: 'no-such-account' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(records.rate('no-such-call', 3)).rejects.toBeInstanceOf(NotFoundError);
    await expect(records.rate(id, 9)).rejects.toBeInstanceOf(ValidationError);
    expect(records.stats).toMatchObject({ pending: 0, lost: 0 });
    expect(fs.statSync(path.join(tmp.dir, JOURNAL_FILE)).size).toBe(0);
    await records.close();
    expect(await store.calls.get(id)).toMatchObject({ agentId: null, rating: null });
  });

  it('at its bound keeps the oldest writes, loses the newest loudly, and lets the call go on', async () => {
    const agentId = await newAgent(store, 'bound');
    const log = recordingLog();
    // Room for two ops (a start and an answer are some 150 bytes each).
    const records = buffered(store, tmp.dir, { maxBytes: 350, log: log.log });
    await halt();
    const { id } = await records.start({ callerLanguage: 'kvk', mode: 'video' });
    await records.answered(id, { agentId });
    // Past the bound: no error reaches the call, but the write is gone and the log says so.
    await records.ended(id, { outcome: 'completed', waitedMs: 10 });
    await records.rate(id, 2);
    expect(records.stats).toMatchObject({ pending: 2, lost: 2 });
    expect(log.errors().map((l) => l.msg)).toEqual([
      'call-record journal full: this write is lost',
      'call-record journal full: this write is lost',
    ]);

    await resume();
    await records.whenEmpty();
    await records.close();
    expect(await store.calls.get(id)).toMatchObject({ agentId, outcome: null, rating: null });
  });

  it('journals a write the database does not answer in time, and writes it once it answers', async () => {
    const records = buffered(store, tmp.dir, { writeTimeoutMs: 300 });
    const { id } = await records.start({ callerLanguage: 'kvk', mode: 'video' });
    const frozen = await freeze(url);
    try {
      // Resolves once the timeout has passed: the caller is not held by the silent database.
      await records.rate(id, 3);
      expect(records.stats.pending).toBe(1);
    } finally {
      frozen.thaw();
    }
    await records.whenEmpty();
    await records.close();
    expect(await store.calls.get(id)).toMatchObject({ rating: 3 });
  });

  it('skips, with an error, a journaled write the database refuses for good, and writes the ones behind it', async () => {
    const lines = [
      recordOp({ kind: 'answered', id: 'never-started', agentId: 'nobody' }, 'op-1', 1000),
      recordOp({ kind: 'start', id: 'behind-it', callerLanguage: 'ko', mode: 'text' }, 'op-2', 2000),
    ].map((op) => `${JSON.stringify(op)}\n`);
    fs.writeFileSync(path.join(tmp.dir, JOURNAL_FILE), lines.join(''));
    const log = recordingLog();
    const records = buffered(store, tmp.dir, { log: log.log });
    expect(await records.drain()).toBe(true);
    await records.close();
    expect(await store.calls.get('behind-it')).toMatchObject({
      startedAt: 2000,
      callerLanguage: 'ko',
      mode: 'text',
    });
    expect(log.errors().map((l) => l.msg)).toEqual([
      'a journaled call-record write was refused by the database: skipped',
    ]);
  });
});
