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

describe.each(STORE_ENGINES)('the volunteer ledger: invitations per volunteer and month (%s)', (engine) => {
  // Sunday 30 November 2025, 23:30 in Seoul: 14:30 UTC, still November in UTC too.
  const clock = manualClock(Date.UTC(2025, 10, 30, 14, 30, 0));
  const db = useTempStore(engine, clock.now);

  it('counts invited, accepted, declined and expired by the month of the centre, not of UTC', async () => {
    const store = db.store;
    const { id } = await store.calls.start({ callerLanguage: 'vi', mode: 'video' });
    const invite = (volunteerId: string, invitationId: string) =>
      store.calls.event(id, { type: 'interpreter-invited', volunteerId, invitationId });
    // November in Seoul: v1 and v2 rung; v1 lets it expire, v2 declines.
    await invite('v1', 'i1');
    await invite('v2', 'i2');
    await store.calls.event(id, { type: 'invitation-expired', volunteerId: 'v1', invitationId: 'i1' });
    await store.calls.event(id, { type: 'invitation-declined', volunteerId: 'v2', invitationId: 'i2' });
    // 00:10 on 1 December in Seoul (15:10 UTC on 30 November): v1 rung again and accepts; v2 rung,
    // withdrawn when v1 took it (counted as invited only).
    clock.advance(40 * 60_000);
    await invite('v1', 'i3');
    await invite('v2', 'i4');
    await store.calls.event(id, { type: 'interpreter-joined', volunteerId: 'v1' });
    // Events of other kinds, or naming agents, are not invitations.
    await store.calls.event(id, { type: 'answered', agentId: 'a1', waitedMs: 5000 });

    const counts = await store.history.invitationCounts({
      from: Date.UTC(2025, 10, 1),
      to: Date.UTC(2025, 11, 31),
      timeZone: 'Asia/Seoul',
    });
    expect(counts).toEqual([
      { volunteerId: 'v1', month: '2025-11', invited: 1, accepted: 0, declined: 0, expired: 1 },
      { volunteerId: 'v2', month: '2025-11', invited: 1, accepted: 0, declined: 1, expired: 0 },
      { volunteerId: 'v1', month: '2025-12', invited: 1, accepted: 1, declined: 0, expired: 0 },
      { volunteerId: 'v2', month: '2025-12', invited: 1, accepted: 0, declined: 0, expired: 0 },
    ]);
    // The same events by UTC months: all in November.
    const utc = await store.history.invitationCounts({ from: 0, to: clock.now() + 1, timeZone: 'UTC' });
    expect(utc.map((c) => [c.month, c.volunteerId, c.invited])).toEqual([
      ['2025-11', 'v1', 2],
      ['2025-11', 'v2', 2],
    ]);
  });
});

describe.each(STORE_ENGINES)("the volunteer ledger's facts from the event log (%s)", (engine) => {
  const clock = manualClock(Date.UTC(2025, 2, 3, 1, 0, 0));
  const db = useTempStore(engine, clock.now);

  it('gives each stay in a call and how each invitation ended', async () => {
    const store = db.store;
    const t0 = clock.now();
    const { id: vi } = await store.calls.start({ callerLanguage: 'vi', mode: 'video' });
    const { id: th } = await store.calls.start({ callerLanguage: 'th', mode: 'video' });
    const at = (ms: number) => t0 + ms;
    const ev = (id: string, ms: number, event: Parameters<Store['calls']['event']>[1]) =>
      store.calls.event(id, event, at(ms));
    // vi: four volunteers rung; v1 lets it expire, v2 declines, v3 accepts (and leaves after 5 min),
    // v4's is withdrawn when v3 takes it.
    for (const v of ['v1', 'v2', 'v3', 'v4'])
      await ev(vi, 0, { type: 'interpreter-invited', volunteerId: v, invitationId: `vi-${v}` });
    await ev(vi, 5000, { type: 'invitation-declined', volunteerId: 'v2', invitationId: 'vi-v2' });
    await ev(vi, 8000, { type: 'interpreter-joined', volunteerId: 'v3' });
    await ev(vi, 30_000, { type: 'invitation-expired', volunteerId: 'v1', invitationId: 'vi-v1' });
    await ev(vi, 308_000, { type: 'interpreter-left', volunteerId: 'v3', reason: 'call-ended' });
    // th: v1 rung later and still interpreting.
    await ev(th, 60_000, { type: 'interpreter-invited', volunteerId: 'v1', invitationId: 'th-v1' });
    await ev(th, 70_000, { type: 'interpreter-joined', volunteerId: 'v1' });

    expect(await store.history.ledgerFacts(t0, t0 + 3_600_000)).toEqual({
      interpretations: [
        { volunteerId: 'v3', language: 'vi', joinedAt: at(8000), leftAt: at(308_000) },
        { volunteerId: 'v1', language: 'th', joinedAt: at(70_000), leftAt: null },
      ],
      invitations: [
        { volunteerId: 'v1', at: at(0), outcome: 'expired' },
        { volunteerId: 'v2', at: at(0), outcome: 'declined' },
        { volunteerId: 'v3', at: at(0), outcome: 'accepted' },
        { volunteerId: 'v4', at: at(0), outcome: 'withdrawn' },
        { volunteerId: 'v1', at: at(60_000), outcome: 'accepted' },
      ],
    });
    // A range that starts after vi's invitations: the stay and invitation that began in it only,
    // their outcomes still known from the events before.
    expect(await store.history.ledgerFacts(at(50_000), t0 + 3_600_000)).toEqual({
      interpretations: [{ volunteerId: 'v1', language: 'th', joinedAt: at(70_000), leftAt: null }],
      invitations: [{ volunteerId: 'v1', at: at(60_000), outcome: 'accepted' }],
    });
  });
});
