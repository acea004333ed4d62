import { describe, expect, it } from 'vitest';
import { NotFoundError, type NewAccount } from '../../../server/src/store';
import { GOOD_PASSWORD, manualClock, STORE_ENGINES, useTempStore } from './helpers';

const volunteer = (username: string): NewAccount => ({
  username,
  displayName: `Volunteer ${username}`,
  role: 'volunteer',
  languages: ['vi', 'ko'],
  password: GOOD_PASSWORD,
  approved: false,
});

describe.each(STORE_ENGINES)('account approval (%s)', (engine) => {
  const clock = manualClock();
  const db = useTempStore(engine, clock.now);

  it('approves and revokes, idempotently, and writes it to the database', async () => {
    const { id } = await db.store.accounts.create(volunteer('linh'));
    expect((await db.store.accounts.findById(id))?.approved).toBe(false);

    await db.store.accounts.setApproved(id, true);
    await db.store.accounts.setApproved(id, true);
    expect((await db.store.accounts.findById(id))?.approved).toBe(true);
    expect(await db.raw<{ approved: number }>('select approved from accounts where id = ?', id)).toEqual([
      { approved: 1 },
    ]);

    await db.store.accounts.setApproved(id, false);
    expect((await db.store.accounts.findById(id))?.approved).toBe(false);
    // Approval never touches the password or the disabled flag.
    expect(await db.store.accounts.verifyPassword('linh', GOOD_PASSWORD)).toMatchObject({
      id,
      approved: false,
      disabled: false,
    });
  });

  it('throws NotFoundError for an unknown id', async () => {
    await expect(
      db.store.accounts.setApproved('00000000-0000-0000-0000-000000000000', true),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists pending volunteers only (not approved, not disabled, no other roles), oldest first', async () => {
    const later = await db.store.accounts.create(volunteer('zed'));
    clock.advance(-60_000);
    const earlier = await db.store.accounts.create(volunteer('anh'));
    clock.advance(120_000);
    const approved = await db.store.accounts.create({ ...volunteer('approved'), approved: true });
    const disabled = await db.store.accounts.create(volunteer('gone'));
    await db.store.accounts.disable(disabled.id);
    await db.store.accounts.create({ ...volunteer('pending-agent'), role: 'agent' });

    const pending = await db.store.accounts.listPendingVolunteers();
    expect(pending.map((a) => a.username)).toEqual(['anh', 'zed']);
    expect(pending.map((a) => a.id)).toEqual([earlier.id, later.id]);

    await db.store.accounts.setApproved(later.id, true);
    expect((await db.store.accounts.listPendingVolunteers()).map((a) => a.username)).toEqual(['anh']);
    expect(pending.some((a) => a.id === approved.id)).toBe(false);
  });
});
