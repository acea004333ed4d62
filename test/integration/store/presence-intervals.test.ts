import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, type Account, type Store } from '../../../server/src/store';
import { presenceFigures } from '../../../server/src/presence/presenceFigures';
import type { PresenceOp } from '../../../server/src/store/recordOps';
import { GOOD_PASSWORD, STORE_ENGINES, useTempStore } from './helpers';

const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
const S = 1000;

describe.each(STORE_ENGINES)('presence intervals (%s)', (engine) => {
  const db = useTempStore(engine);
  let store: Store;
  let agent: Account;
  let volunteer: Account;

  beforeEach(async () => {
    store = db.store;
    const base = { password: GOOD_PASSWORD, languages: ['ko'] };
    agent = await store.accounts.create({ ...base, username: 'kim', displayName: 'Kim', role: 'agent' });
    volunteer = await store.accounts.create({
      ...base,
      username: 'vovan',
      displayName: 'Vo',
      role: 'volunteer',
    });
  });

  const agentAt = (
    state: Parameters<Store['presence']['presenceChanged']>[0]['state'],
    at: number,
    reason = null as string | null,
  ) =>
    store.presence.presenceChanged(
      { accountId: agent.id, role: 'agent', state, reason: reason as never },
      T0 + at,
    );

  /** Every row, as [state, reason, start, end] relative to T0 in seconds. */
  async function rows(from = T0, to = T0 + 3600 * S) {
    const { inside, edges } = await store.presence.overlapping(from, to);
    return {
      inside,
      edges: edges.map((e) => [
        e.state,
        e.reason,
        (e.start - T0) / S,
        e.end === null ? null : (e.end - T0) / S,
      ]),
    };
  }

  it('closes each interval at the next change and opens none for offline', async () => {
    await agentAt('available', 0);
    await agentAt('offered', 10 * S);
    await agentAt('in-call', 20 * S);
    await agentAt('wrap-up', 80 * S);
    await agentAt('available', 100 * S);
    await agentAt('away', 160 * S, 'meal');
    await agentAt('offline', 460 * S);
    // Wholly inside the hour: summed per state and reason.
    const { inside, edges } = await rows();
    expect(edges).toEqual([]);
    const byKey = Object.fromEntries(
      inside.map((t) => [`${t.state}/${t.reason ?? ''}`, [t.ms / S, t.intervals]]),
    );
    expect(byKey).toEqual({
      'available/': [10 + 60, 2],
      'offered/': [10, 1],
      'in-call/': [60, 1],
      'wrap-up/': [20, 1],
      'away/meal': [300, 1],
    });
    expect(inside.every((t) => t.name === 'Kim' && t.role === 'agent')).toBe(true);
  });

  it('clips to a range by hand: occupancy and time away', async () => {
    await agentAt('available', 0);
    await agentAt('offered', 10 * S);
    await agentAt('in-call', 20 * S);
    await agentAt('wrap-up', 80 * S);
    await agentAt('available', 100 * S);
    await agentAt('away', 160 * S, 'meal');
    await agentAt('offline', 460 * S);
    await store.presence.presenceChanged(
      { accountId: volunteer.id, role: 'volunteer', state: 'available', reason: null },
      T0 + 50 * S,
    );
    const from = T0 + 15 * S;
    const to = T0 + 200 * S;
    const { inside, edges } = await store.presence.overlapping(from, to);
    const figures = presenceFigures({ from, to, now: T0 + 300 * S, totals: inside, edges });
    const kim = figures.staff.find((s) => s.accountId === agent.id);
    // offered 15–20, in call 20–80, wrap-up 80–100, available 100–160, away 160–200.
    expect(kim?.msByState).toEqual({
      offered: 5 * S,
      'in-call': 60 * S,
      'wrap-up': 20 * S,
      available: 60 * S,
      away: 40 * S,
    });
    expect(kim?.awayByReason).toEqual({ meal: 40 * S });
    expect(kim?.occupancy).toEqual({ value: 80 / 145, n: 145 * S });
    // The volunteer is still available (open): counted from 50 s to the end of the range.
    const vo = figures.staff.find((s) => s.accountId === volunteer.id);
    expect(vo?.msByState).toEqual({ available: 150 * S });
    expect(vo?.occupancy).toEqual({ value: 0, n: 150 * S });
    expect(figures.occupancy).toEqual({ value: 80 / 145, n: 145 * S });
    expect(figures.awayByReason.find((r) => r.reason === 'meal')).toEqual({
      reason: 'meal',
      ms: 40 * S,
      intervals: 1,
    });
  });

  it('a repeated state is one interval; a new reason is a new one', async () => {
    await agentAt('away', 0, 'break');
    await agentAt('away', 30 * S, 'break');
    await agentAt('away', 60 * S, 'training');
    const { inside, edges } = await rows();
    expect(inside).toMatchObject([{ state: 'away', reason: 'break', ms: 60 * S, intervals: 1 }]);
    expect(edges).toEqual([['away', 'training', 60, null]]);
  });

  it('applying an op again changes nothing, and an older op replayed late opens nothing that stays open', async () => {
    const op = (opId: string, state: PresenceOp['state'], at: number): PresenceOp => ({
      kind: 'presence',
      opId,
      id: agent.id,
      at: T0 + at,
      role: 'agent',
      state,
      reason: null,
    });
    const a = op('op-a', 'available', 0);
    const b = op('op-b', 'offered', 10 * S);
    const c = op('op-c', 'available', 20 * S);
    await store.presence.apply(a);
    await store.presence.apply(b);
    await store.presence.apply(c);
    const before = await rows();
    // The journal may replay what did reach the database, in order or after later ops.
    await store.presence.apply(b);
    await store.presence.apply(a);
    expect(await rows()).toEqual(before);
    expect(before.edges).toEqual([['available', null, 20, null]]);
    // A change that never reached the database, replayed after a later one: it ends where that begins.
    await store.presence.apply(op('op-late', 'away', 15 * S));
    const after = await store.presence.overlapping(T0, T0 + 3600 * S);
    expect(after.inside.find((t) => t.state === 'away')).toMatchObject({ ms: 5 * S, intervals: 1 });
  });

  it('refuses an unknown account', async () => {
    await expect(
      store.presence.presenceChanged(
        { accountId: 'ghost', role: 'agent', state: 'available', reason: null },
        T0,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('closes what a crash left open at the last activity known, never before its start', async () => {
    await agentAt('available', 0);
    await agentAt('away', 100 * S, 'after-difficult-call');
    await store.presence.presenceChanged(
      { accountId: volunteer.id, role: 'volunteer', state: 'available', reason: null },
      T0 + 40 * S,
    );
    // A call arrived later than any presence change: the process was alive then.
    const { id } = await store.calls.start({ callerLanguage: 'ko', mode: 'video' });
    const callAt = (await store.calls.get(id))!.startedAt;
    expect(await store.presence.closeLeftOpen()).toEqual({ closed: 2, at: callAt });
    const { edges } = await store.presence.overlapping(T0, callAt + 1);
    expect(edges.filter((e) => e.end === null)).toEqual([]);
    expect(await store.presence.closeLeftOpen()).toEqual({ closed: 0, at: callAt });
  });

  it('refuses a backwards range', async () => {
    await expect(store.presence.overlapping(T0 + 10, T0)).rejects.toThrow(/from must be before to/);
  });
});
