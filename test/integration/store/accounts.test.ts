import { describe, expect, it } from 'vitest';
import {
  DuplicateUsernameError,
  NotFoundError,
  ValidationError,
  type NewAccount,
} from '../../../server/src/store';
import { GOOD_PASSWORD, manualClock, STORE_ENGINES, useTempStore } from './helpers';

const MINJI: NewAccount = {
  username: 'minji',
  displayName: 'Kim Min-ji',
  role: 'agent',
  languages: ['kvk', 'ko'],
  password: GOOD_PASSWORD,
};

describe.each(STORE_ENGINES)('accounts (%s)', (engine) => {
  const clock = manualClock();
  const db = useTempStore(engine, clock.now);

  it('creates an account without exposing the hash, and stores only a hash', async () => {
    const account = await db.store.accounts.create(MINJI);
    expect(account).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: 'minji',
      displayName: 'Kim Min-ji',
      role: 'agent',
      languages: ['kvk', 'ko'],
      approved: true,
      disabled: false,
      sessionGeneration: 0,
      shift: null,
      createdAt: clock.now(),
    });
    expect(Object.keys(account)).not.toContain('passwordHash');
    const [row] = await db.raw<{ password_hash: string; languages: string }>('select * from accounts');
    expect(row?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row?.password_hash).not.toContain(GOOD_PASSWORD);
    expect(row?.languages).toBe('["kvk","ko"]');
  });

  it('normalises username case and canonicalises language tags', async () => {
    const account = await db.store.accounts.create({
      ...MINJI,
      username: '  MinJi.Kim ',
      displayName: '  Kim Min-ji ',
      languages: ['KVK', 'ko-kr', 'kvk'],
      approved: false,
    });
    expect(account).toMatchObject({
      username: 'minji.kim',
      displayName: 'Kim Min-ji',
      languages: ['kvk', 'ko-KR'],
      approved: false,
    });
    expect(await db.store.accounts.findByUsername('MINJI.KIM')).toEqual(account);
  });

  it('verifies the right password and returns the account', async () => {
    const account = await db.store.accounts.create(MINJI);
    expect(await db.store.accounts.verifyPassword('minji', GOOD_PASSWORD)).toEqual(account);
    expect(await db.store.accounts.verifyPassword('MinJi', GOOD_PASSWORD)).toEqual(account);
  });

  it('returns null for a wrong password, an unknown user and a disabled account', async () => {
    const account = await db.store.accounts.create(MINJI);
    expect(await db.store.accounts.verifyPassword('minji', 'not the password')).toBeNull();
    expect(await db.store.accounts.verifyPassword('nobody', GOOD_PASSWORD)).toBeNull();
    expect(await db.store.accounts.verifyPassword('', '')).toBeNull();

    await db.store.accounts.disable(account.id);
    expect(await db.store.accounts.verifyPassword('minji', GOOD_PASSWORD)).toBeNull();
    expect(await db.store.accounts.findById(account.id)).toMatchObject({ disabled: true });
    await db.store.accounts.disable(account.id); // idempotent
  });

  it('spends the KDF on unknown users too, so timing does not reveal who exists', async () => {
    await db.store.accounts.create(MINJI);
    const time = async (username: string) => {
      const start = performance.now();
      await db.store.accounts.verifyPassword(username, 'wrong password here');
      return performance.now() - start;
    };
    const known = await time('minji');
    const unknown = await time('nobody');
    expect(unknown).toBeGreaterThan(known * 0.5);
  });

  it('rejects a duplicate username, whatever its case, and writes nothing', async () => {
    await db.store.accounts.create(MINJI);
    const duplicate = db.store.accounts.create({ ...MINJI, username: 'MINJI', displayName: 'Someone else' });
    await expect(duplicate).rejects.toBeInstanceOf(DuplicateUsernameError);
    await expect(duplicate).rejects.toMatchObject({
      code: 'taken',
      message: 'username "minji" is already taken',
    });
    expect(await db.raw('select id from accounts')).toHaveLength(1);
  });

  const badInputs: [string, Partial<NewAccount> | Record<string, unknown>, RegExp][] = [
    ['too-short username', { username: 'ab' }, /^username: must be 3–32 characters/],
    ['too-long username', { username: 'a'.repeat(33) }, /^username: /],
    ['username with spaces', { username: 'min ji' }, /^username: /],
    ['username with non-ASCII', { username: '민지' }, /^username: /],
    ['short password', { password: 'elevenchars' }, /^password: must be at least 12 characters$/],
    ['empty display name', { displayName: '   ' }, /^displayName: must not be empty$/],
    ['long display name', { displayName: 'x'.repeat(81) }, /^displayName: must be at most 80 characters$/],
    ['control character in name', { displayName: 'Kim\nMin-ji' }, /^displayName: must not contain control/],
    [
      'right-to-left override in name',
      { displayName: 'Kim\u202Eij-niM' },
      /^displayName: must not contain characters that change the direction of text \(U\+202E\)$/,
    ],
    [
      'zero-width space in name',
      { displayName: 'Kim\u200BMin-ji' },
      /^displayName: must not contain invisible/,
    ],
    ['no languages', { languages: [] }, /^languages: at least one language is required$/],
    [
      'invalid language tag',
      { languages: ['kvk', 'en_US'] },
      /^languages: "en_US" is not a BCP-47 language tag/,
    ],
    ['unknown role', { role: 'admin' }, /^role: must be one of agent, supervisor, volunteer$/],
    ['missing field', { displayName: undefined }, /^displayName: /],
  ];
  it.each(badInputs)(
    'rejects %s with a clear ValidationError and writes nothing',
    async (_label, patch, message) => {
      const input = { ...MINJI, ...patch } as NewAccount;
      const attempt = db.store.accounts.create(input);
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject({
        code: 'invalid-payload',
        message: expect.stringMatching(message),
      });
      expect(await db.raw('select id from accounts')).toHaveLength(0);
    },
  );

  it('reports every problem at once', async () => {
    const error = await db.store.accounts
      .create({ username: 'x', displayName: '', role: 'agent', languages: [], password: 'short' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toEqual([
      'username',
      'displayName',
      'languages',
      'password',
    ]);
  });

  it('finds, lists by role and updates', async () => {
    const minji = await db.store.accounts.create(MINJI);
    const jun = await db.store.accounts.create({
      ...MINJI,
      username: 'jun',
      role: 'volunteer',
      languages: ['ko'],
    });
    const boss = await db.store.accounts.create({ ...MINJI, username: 'boss', role: 'supervisor' });

    expect(await db.store.accounts.findById(minji.id)).toEqual(minji);
    expect(await db.store.accounts.findById('missing')).toBeNull();
    expect(await db.store.accounts.findByUsername('nobody')).toBeNull();
    expect((await db.store.accounts.list()).map((a) => a.username)).toEqual(['boss', 'jun', 'minji']);
    expect(await db.store.accounts.list('volunteer')).toEqual([jun]);
    expect(await db.store.accounts.list('supervisor')).toEqual([boss]);
    await expect(db.store.accounts.list('admin' as 'agent')).rejects.toBeInstanceOf(ValidationError);

    await db.store.accounts.setLanguages(jun.id, ['KO', 'kvk']);
    expect((await db.store.accounts.findById(jun.id))?.languages).toEqual(['ko', 'kvk']);
    await expect(db.store.accounts.setLanguages(jun.id, [])).rejects.toBeInstanceOf(ValidationError);

    await db.store.accounts.setPassword(jun.id, 'a brand new passphrase');
    expect(await db.store.accounts.verifyPassword('jun', GOOD_PASSWORD)).toBeNull();
    expect(await db.store.accounts.verifyPassword('jun', 'a brand new passphrase')).toMatchObject({
      id: jun.id,
    });
  });

  it("keeps an agent's shift, and refuses one for other roles or with a malformed name", async () => {
    const minji = await db.store.accounts.create({ ...MINJI, shift: 'night' });
    expect(minji.shift).toBe('night');
    expect((await db.store.accounts.findById(minji.id))?.shift).toBe('night');
    await db.store.accounts.setShift(minji.id, 'late-night');
    expect((await db.store.accounts.findByUsername('minji'))?.shift).toBe('late-night');
    await db.store.accounts.setShift(minji.id, null);
    expect((await db.store.accounts.findById(minji.id))?.shift).toBeNull();

    const create = db.store.accounts.create({ ...MINJI, username: 'jun', role: 'volunteer', shift: 'day' });
    await expect(create).rejects.toThrow('shift: only agents have a shift');
    const jun = await db.store.accounts.create({ ...MINJI, username: 'jun', role: 'volunteer' });
    await expect(db.store.accounts.setShift(jun.id, 'day')).rejects.toThrow(
      'shift: only agents have a shift',
    );
    await expect(db.store.accounts.setShift(minji.id, 'Night shift')).rejects.toBeInstanceOf(ValidationError);
    await expect(db.store.accounts.setShift('missing', 'day')).rejects.toBeInstanceOf(NotFoundError);
    expect((await db.store.accounts.findById(minji.id))?.shift).toBeNull();
  });

  it('lists usernames in byte order on every engine, whatever the server collation', async () => {
    for (const username of ['ab_c', 'abc', 'ab.c', 'ab-c'])
      await db.store.accounts.create({ ...MINJI, username });
    expect((await db.store.accounts.list()).map((a) => a.username)).toEqual(['ab-c', 'ab.c', 'ab_c', 'abc']);
  });

  it('setPassword keeps the old hash when the new password is invalid', async () => {
    const minji = await db.store.accounts.create(MINJI);
    await expect(db.store.accounts.setPassword(minji.id, 'short')).rejects.toThrow(
      'password: must be at least 12',
    );
    expect(await db.store.accounts.verifyPassword('minji', GOOD_PASSWORD)).not.toBeNull();
  });

  it('throws NotFoundError when updating an account that does not exist', async () => {
    await expect(db.store.accounts.setPassword('missing', GOOD_PASSWORD)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(db.store.accounts.setLanguages('missing', ['ko'])).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(db.store.accounts.disable('missing')).rejects.toMatchObject({
      entity: 'account',
      key: 'missing',
    });
  });
});
