import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, type Account, type Store } from '../../../server/src/store';
import { GOOD_PASSWORD, manualClock, STORE_ENGINES, useTempStore, type StoreEngine } from './helpers';

/** A table's column names in order, from each engine's catalogue. */
const COLUMNS_OF: Record<StoreEngine, string> = {
  sqlite: 'select name from pragma_table_info(?)',
  postgres: `select column_name as name from information_schema.columns
             where table_schema = current_schema() and table_name = ? order by ordinal_position`,
};

describe.each(STORE_ENGINES)('call records (%s)', (engine) => {
  const clock = manualClock();
  const db = useTempStore(engine, clock.now);
  let store: Store;
  let agent: Account;
  let interpreter: Account;

  beforeEach(async () => {
    store = db.store;
    const base = { displayName: 'Staff', password: GOOD_PASSWORD, languages: ['kvk', 'ko'] };
    agent = await store.accounts.create({ ...base, username: 'agent1', role: 'agent' });
    interpreter = await store.accounts.create({ ...base, username: 'interp1', role: 'volunteer' });
  });

  it('records a full lifecycle with timestamps from the injected clock', async () => {
    const t0 = clock.now();
    const { id } = await store.calls.start({ callerLanguage: 'KVK', mode: 'video' });
    clock.advance(30_000);
    await store.calls.answered(id, { agentId: agent.id });
    clock.advance(5_000);
    await store.calls.interpreterJoined(id, interpreter.id);
    clock.advance(300_000);
    await store.calls.ended(id, { outcome: 'completed', waitedMs: 30_000 });
    await store.calls.wrapUp(id, {
      category: 'welfare',
      resolved: true,
      note: '  Referred to district office  ',
    });
    await store.calls.rate(id, 5);

    expect(await store.calls.get(id)).toEqual({
      id,
      startedAt: t0,
      answeredAt: t0 + 30_000,
      endedAt: t0 + 335_000,
      callerLanguage: 'kvk',
      mode: 'video',
      agentId: agent.id,
      interpreterId: interpreter.id,
      outcome: 'completed',
      waitedMs: 30_000,
      category: 'welfare',
      resolved: true,
      wrapNote: 'Referred to district office',
      rating: 5,
    });
  });

  it('closes calls left open by a crash as failed, keeping the wait of an answered one', async () => {
    const t0 = clock.now();
    const answered = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    clock.advance(12_000);
    await store.calls.answered(answered.id, { agentId: agent.id });
    const waiting = await store.calls.start({ callerLanguage: 'vi', mode: 'video' });
    const done = await store.calls.start({ callerLanguage: 'ko', mode: 'text' });
    await store.calls.ended(done.id, { outcome: 'completed', waitedMs: 1000 });
    clock.advance(60_000);
    const restartedAt = clock.now();
    const later = await store.calls.start({ callerLanguage: 'ko', mode: 'video' });

    expect(await store.calls.closeLeftOpen(restartedAt)).toBe(2);
    expect(await store.calls.get(answered.id)).toMatchObject({
      outcome: 'failed',
      endedAt: restartedAt,
      waitedMs: 12_000,
      answeredAt: t0 + 12_000,
    });
    expect(await store.calls.get(waiting.id)).toMatchObject({ outcome: 'failed', waitedMs: null });
    // A call that ended is not touched, nor one that started after the cut-off.
    expect(await store.calls.get(done.id)).toMatchObject({ outcome: 'completed', waitedMs: 1000 });
    expect(await store.calls.get(later.id)).toMatchObject({ outcome: null, endedAt: null });
    expect(await store.calls.closeLeftOpen(restartedAt)).toBe(0);
    await expect(store.calls.closeLeftOpen(-1)).rejects.toBeInstanceOf(ValidationError);
  });

  it('starts with only what is known, and stores no content columns', async () => {
    const { id } = await store.calls.start({ callerLanguage: 'ko', mode: 'text' });
    expect(await store.calls.get(id)).toMatchObject({
      answeredAt: null,
      endedAt: null,
      agentId: null,
      outcome: null,
      waitedMs: null,
      resolved: null,
      rating: null,
    });
    const columns = await db.raw<{ name: string }>(COLUMNS_OF[engine], 'call_records');
    // Adding a column here needs a conscious decision: call records must never hold conversation content.
    expect(columns.map((c) => c.name)).toEqual([
      'id',
      'started_at',
      'answered_at',
      'ended_at',
      'caller_language',
      'mode',
      'agent_id',
      'interpreter_id',
      'outcome',
      'waited_ms',
      'category',
      'resolved',
      'wrap_note',
      'rating',
    ]);
  });

  it('records an abandoned call; the first end wins', async () => {
    const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    clock.advance(90_000);
    await store.calls.ended(id, { outcome: 'abandoned', waitedMs: 90_000 });
    clock.advance(1_000);
    await store.calls.ended(id, { outcome: 'failed', waitedMs: 91_000 });
    expect(await store.calls.get(id)).toMatchObject({
      outcome: 'abandoned',
      waitedMs: 90_000,
      agentId: null,
    });
  });

  it('wrap-up without a category or note stores nulls', async () => {
    const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    await store.calls.wrapUp(id, { resolved: false });
    expect(await store.calls.get(id)).toMatchObject({ category: null, resolved: false, wrapNote: null });
  });

  it('lists newest first, with since and limit', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await store.calls.start({ callerLanguage: 'kvk', mode: 'video' })).id);
      clock.advance(1_000);
    }
    const all = await store.calls.list();
    expect(all.map((c) => c.id)).toEqual([...ids].reverse());
    const recent = await store.calls.list({ since: all[2]!.startedAt });
    expect(recent.map((c) => c.id)).toEqual(ids.slice(2).reverse());
    expect(await store.calls.list({ limit: 2 })).toHaveLength(2);
    await expect(store.calls.list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads the calls that arrived in [from, to), oldest first, past the list limit', async () => {
    const t0 = clock.now();
    const ids: string[] = [];
    // 1,050 calls one second apart: more than list() would ever return at once.
    for (let i = 0; i < 1_050; i++) {
      ids.push((await store.calls.start({ callerLanguage: 'ko', mode: 'video' })).id);
      clock.advance(1_000);
    }
    const all = await store.calls.between(t0, clock.now());
    expect(all.map((c) => c.id)).toEqual(ids);
    // from is inclusive, to exclusive: the calls that arrived at t0 + 10 s … t0 + 19 s.
    const some = await store.calls.between(t0 + 10_000, t0 + 20_000);
    expect(some.map((c) => c.startedAt)).toEqual(Array.from({ length: 10 }, (_, i) => t0 + (10 + i) * 1_000));
    expect(await store.calls.between(t0 + 5_000, t0 + 5_000)).toEqual([]);
    await expect(store.calls.between(t0 + 1, t0)).rejects.toMatchObject({
      issues: [{ field: 'from', message: 'from must not be after to' }],
    });
    await expect(store.calls.between(-1, t0)).rejects.toBeInstanceOf(ValidationError);
  });

  it('validates input', async () => {
    await expect(store.calls.start({ callerLanguage: 'not a tag', mode: 'video' })).rejects.toThrow(
      /callerLanguage/,
    );
    await expect(store.calls.start({ callerLanguage: 'kvk', mode: 'fax' as 'video' })).rejects.toThrow(
      /mode/,
    );
    const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    await expect(store.calls.rate(id, 0)).rejects.toThrow('rating: must be 1 to 5');
    await expect(store.calls.rate(id, 6)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.calls.rate(id, 4.5)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.calls.ended(id, { outcome: 'exploded' as 'failed', waitedMs: 1 })).rejects.toThrow(
      /outcome/,
    );
    await expect(store.calls.ended(id, { outcome: 'completed', waitedMs: -1 })).rejects.toThrow(/waitedMs/);
    await expect(store.calls.wrapUp(id, { category: 'gossip', resolved: true })).rejects.toThrow(/category/);
    await expect(store.calls.wrapUp(id, { resolved: true, note: 'x'.repeat(501) })).rejects.toThrow(/note/);
    expect(await store.calls.get(id)).toMatchObject({ rating: null, outcome: null, resolved: null });
  });

  it('throws NotFoundError for unknown calls and unknown accounts', async () => {
    await expect(store.calls.answered('missing', { agentId: agent.id })).rejects.toMatchObject({
      entity: 'call',
      key: 'missing',
    });
    await expect(store.calls.ended('missing', { outcome: 'completed', waitedMs: 0 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(store.calls.rate('missing', 3)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.calls.wrapUp('missing', { resolved: true })).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.calls.get('missing')).toBeNull();

    const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    await expect(store.calls.interpreterJoined(id, 'ghost')).rejects.toMatchObject({
      entity: 'account',
      key: 'ghost',
    });
  });
});
