// The call event log in the store: one row per write (the same op applied twice writes once),
// refused for an unknown call, closed calls get an `ended` by `system`, and the history reads a
// range's calls with their events and the supervisor's list page by page.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, type Store, ValidationError } from '../../../server/src/store';
import { recordOp } from '../../../server/src/store/recordOps';
import { GOOD_PASSWORD, manualClock, STORE_ENGINES, useTempStore } from './helpers';

describe.each(STORE_ENGINES)('call events (%s)', (engine) => {
  const clock = manualClock();
  const db = useTempStore(engine, clock.now);
  let store: Store;
  let agentId: string;

  beforeEach(async () => {
    store = db.store;
    const agent = await store.accounts.create({
      username: 'agent1',
      displayName: 'Kim Signing',
      password: GOOD_PASSWORD,
      languages: ['kvk'],
      role: 'agent',
    });
    agentId = agent.id;
  });

  it('writes an event once however often its op is applied, at the time the op carries', async () => {
    const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    const op = recordOp(
      { kind: 'event', id, event: { type: 'offered', agentId, offerId: 'o1' }, at: 1234 },
      'op-1',
      clock.now(),
    );
    await store.calls.apply(op);
    await store.calls.apply(op);
    await store.calls.event(id, { type: 'offer-missed', agentId, offerId: 'o1' });
    const { events } = await store.history.range(clock.now() - 1, clock.now() + 1);
    expect(events).toEqual([
      { type: 'offered', agentId, offerId: 'o1', callId: id, at: 1234 },
      { type: 'offer-missed', agentId, offerId: 'o1', callId: id, at: clock.now() },
    ]);
  });

  it('refuses an event of an unknown call, and an event that is not one', async () => {
    await expect(store.calls.event('nope', { type: 'rated', rating: 4 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const { id } = await store.calls.start({ callerLanguage: 'ko', mode: 'video' });
    await expect(store.calls.event(id, { type: 'rated', rating: 9 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('gives each call closed as failed at start an `ended` event by the system', async () => {
    const { id: open } = await store.calls.start({ callerLanguage: 'ko', mode: 'video' });
    const { id: done } = await store.calls.start({ callerLanguage: 'ko', mode: 'video' });
    await store.calls.ended(done, { outcome: 'completed', waitedMs: 0 });
    clock.advance(1000);
    expect(await store.calls.closeLeftOpen(clock.now())).toBe(1);
    expect(await store.calls.closeLeftOpen(clock.now())).toBe(0);
    const { events } = await store.history.range(0, clock.now());
    expect(events).toEqual([{ type: 'ended', by: 'system', reason: 'crash', callId: open, at: clock.now() }]);
  });

  it('lists calls newest first with names, shift and the shown estimate, page by page and filtered', async () => {
    const ids: string[] = [];
    for (const language of ['ko', 'kvk', 'ko']) {
      const { id } = await store.calls.start({ callerLanguage: language, mode: 'video' });
      await store.calls.event(id, {
        type: 'queued',
        language,
        mode: 'video',
        shift: 'day',
        hour: 9,
        weekday: 1,
        estimateMs: 60_000,
      });
      ids.push(id);
      clock.advance(10_000);
    }
    await store.calls.answered(ids[1]!, { agentId });
    const range = { from: 0, to: clock.now() };
    const first = await store.history.list({ ...range, limit: 2 });
    expect(first.calls.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect(first.calls[1]).toMatchObject({ agentName: 'Kim Signing', shift: 'day', shownEstimateMs: 60_000 });
    expect(first.next).toBe(first.calls[1]!.startedAt);
    const second = await store.history.list({ ...range, limit: 2, before: first.next! });
    expect(second).toEqual({ calls: [expect.objectContaining({ id: ids[0] })], next: null });
    const kvk = await store.history.list({ ...range, language: 'kvk' });
    expect(kvk.calls.map((c) => c.id)).toEqual([ids[1]]);
    const byAgent = await store.history.list({ ...range, agentId });
    expect(byAgent.calls.map((c) => c.id)).toEqual([ids[1]]);
  });
});
