import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, type NewAccount, type Store } from '../../../server/src/store';
import { GOOD_PASSWORD, makeTempDir, manualClock, openTempStore, rawQuery } from './helpers';

const volunteer = (username: string): NewAccount => ({
  username,
  displayName: `Volunteer ${username}`,
  role: 'volunteer',
  languages: ['vi', 'ko'],
  password: GOOD_PASSWORD,
  approved: false,
});

describe('account approval', () => {
  let file: string;
  let store: Store;
  let cleanup: () => void;
  const clock = manualClock();

  beforeEach(async () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    file = path.join(tmp.dir, 'relay.sqlite');
    store = await openTempStore(file, clock.now);
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('approves and revokes, idempotently, and writes it to the file', async () => {
    const { id } = await store.accounts.create(volunteer('linh'));
    expect((await store.accounts.findById(id))?.approved).toBe(false);

    await store.accounts.setApproved(id, true);
    await store.accounts.setApproved(id, true);
    expect((await store.accounts.findById(id))?.approved).toBe(true);
    expect(rawQuery<{ approved: number }>(file, 'select approved from accounts where id = ?', id)).toEqual([
      { approved: 1 },
    ]);

    await store.accounts.setApproved(id, false);
    expect((await store.accounts.findById(id))?.approved).toBe(false);
    // Approval never touches the password or the disabled flag.
    expect(await store.accounts.verifyPassword('linh', GOOD_PASSWORD)).toMatchObject({
      id,
      approved: false,
      disabled: false,
    });
  });

  it('throws NotFoundError for an unknown id', async () => {
    await expect(
      store.accounts.setApproved('00000000-0000-0000-0000-000000000000', true),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists pending volunteers only (not approved, not disabled, no other roles), oldest first', async () => {
    const later = await store.accounts.create(volunteer('zed'));
    clock.advance(-60_000);
    const earlier = await store.accounts.create(volunteer('anh'));
    clock.advance(120_000);
    const approved = await store.accounts.create({ ...volunteer('approved'), approved: true });
    const disabled = await store.accounts.create(volunteer('gone'));
    await store.accounts.disable(disabled.id);
    await store.accounts.create({ ...volunteer('pending-agent'), role: 'agent' });

    const pending = await store.accounts.listPendingVolunteers();
    expect(pending.map((a) => a.username)).toEqual(['anh', 'zed']);
    expect(pending.map((a) => a.id)).toEqual([earlier.id, later.id]);

    await store.accounts.setApproved(later.id, true);
    expect((await store.accounts.listPendingVolunteers()).map((a) => a.username)).toEqual(['anh']);
    expect(pending.some((a) => a.id === approved.id)).toBe(false);
  });
});
