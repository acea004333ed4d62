import { describe, expect, it } from 'vitest';
import {
  DuplicateUsernameError,
  NotFoundError,
  ValidationError,
  type VolunteerRegistration,
} from '../../../server/src/store';
import { GOOD_PASSWORD, manualClock, STORE_ENGINES, useTempStore, type StoreEngine } from './helpers';

const LAN: VolunteerRegistration = {
  username: 'lan.nguyen',
  displayName: 'Nguyễn Thị Lan',
  password: GOOD_PASSWORD,
  languages: [
    { tag: 'vi', level: 'native' },
    { tag: 'ko', level: 'fluent' },
  ],
  contact: 'lan@example.org',
  timeZone: 'Asia/Ho_Chi_Minh',
};

/** A trigger that makes every profile insert fail, in each engine's dialect. */
const REFUSE_PROFILES: Record<StoreEngine, string> = {
  sqlite: `create trigger refuse_profiles before insert on volunteer_profiles
           begin select raise(abort, 'refused by test'); end`,
  postgres: `create function refuse_profiles() returns trigger language plpgsql
               as $$ begin raise exception 'refused by test'; end $$;
             create trigger refuse_profiles before insert on volunteer_profiles
               for each row execute function refuse_profiles();`,
};

interface ProfileRow {
  account_id: string;
  languages: string;
  weekly_hours: string;
  time_zone: string;
  contact: string | null;
  updated_at: number;
}

/** The ValidationError's issues, or a failure if something else (or nothing) was thrown. */
async function issuesOf(promise: Promise<unknown>): Promise<{ field: string; message: string }[]> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).issues];
}

describe.each(STORE_ENGINES)('volunteer profiles (%s)', (engine) => {
  const clock = manualClock();
  const db = useTempStore(engine, clock.now);

  const accountsRows = () => db.raw<{ username: string; languages: string }>('select * from accounts');
  const profileRows = () => db.raw<ProfileRow>('select * from volunteer_profiles');

  describe('register', () => {
    it('creates an unapproved volunteer account and its profile, readable after reopening', async () => {
      const account = await db.store.volunteers.register({ ...LAN, username: '  Lan.Nguyen ' });
      expect(account).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username: 'lan.nguyen',
        displayName: 'Nguyễn Thị Lan',
        role: 'volunteer',
        languages: ['vi', 'ko'],
        approved: false,
        disabled: false,
        sessionGeneration: 0,
        shift: null,
        createdAt: clock.now(),
      });
      expect(await db.store.accounts.verifyPassword('lan.nguyen', GOOD_PASSWORD)).toEqual(account);

      await db.reopen();
      expect(await db.store.volunteers.getProfile(account.id)).toEqual({
        accountId: account.id,
        languages: [
          { tag: 'vi', level: 'native' },
          { tag: 'ko', level: 'fluent' },
        ],
        weeklyHours: [],
        timeZone: 'Asia/Ho_Chi_Minh',
        contact: 'lan@example.org',
        updatedAt: clock.now(),
      });
    });

    it('defaults the time zone to Asia/Seoul and a missing or blank contact to null', async () => {
      const { timeZone: _tz, contact: _c, ...bare } = LAN;
      const a = await db.store.volunteers.register(bare);
      const b = await db.store.volunteers.register({ ...LAN, username: 'second', contact: '   ' });
      expect(await db.store.volunteers.getProfile(a.id)).toMatchObject({
        timeZone: 'Asia/Seoul',
        contact: null,
      });
      expect(await db.store.volunteers.getProfile(b.id)).toMatchObject({ contact: null });
    });

    it('canonicalises tags and time zones', async () => {
      const account = await db.store.volunteers.register({
        ...LAN,
        languages: [
          { tag: 'ZH-cn', level: 'native' },
          { tag: 'KO', level: 'conversational' },
        ],
        timeZone: 'asia/shanghai',
      });
      expect(account.languages).toEqual(['zh-CN', 'ko']);
      expect(await db.store.volunteers.getProfile(account.id)).toMatchObject({
        languages: [
          { tag: 'zh-CN', level: 'native' },
          { tag: 'ko', level: 'conversational' },
        ],
        timeZone: 'Asia/Shanghai',
      });
    });

    it('refuses a duplicate username and leaves no second account or profile', async () => {
      await db.store.volunteers.register(LAN);
      await expect(db.store.volunteers.register({ ...LAN, username: 'LAN.NGUYEN' })).rejects.toBeInstanceOf(
        DuplicateUsernameError,
      );
      expect(await accountsRows()).toHaveLength(1);
      expect(await profileRows()).toHaveLength(1);
    });

    it('lists every bad field at once and writes nothing', async () => {
      const issues = await issuesOf(
        db.store.volunteers.register({
          username: 'x',
          displayName: ' ',
          password: 'short',
          languages: [{ tag: 'vi', level: 'native' }],
          contact: 'a'.repeat(201),
          timeZone: 'Mars/Olympus_Mons',
        }),
      );
      expect(issues.map((i) => i.field).sort()).toEqual([
        'contact',
        'displayName',
        'languages',
        'password',
        'timeZone',
        'username',
      ]);
      expect(issues.find((i) => i.field === 'languages')?.message).toBe(
        'a volunteer interprets between a language and Korean: add ko',
      );
      expect(await accountsRows()).toEqual([]);
      expect(await profileRows()).toEqual([]);
    });

    it('refuses a name that reads other than it is (a bidi override), naming the field', async () => {
      const issues = await issuesOf(
        db.store.volunteers.register({ ...LAN, username: 'spoof', displayName: 'Lan\u202Enimda' }),
      );
      expect(issues).toEqual([
        {
          field: 'displayName',
          message: 'must not contain characters that change the direction of text (U+202E)',
        },
      ]);
      expect(await accountsRows()).toEqual([]);
    });
  });

  describe('saveProfile', () => {
    it('saves languages, hours, time zone and contact, and keeps the account languages equal', async () => {
      const { id } = await db.store.volunteers.register(LAN);
      clock.advance(60_000);
      const saved = await db.store.volunteers.saveProfile(id, {
        languages: [
          { tag: 'ko', level: 'fluent' },
          { tag: 'en', level: 'conversational' },
          { tag: 'vi', level: 'native' },
        ],
        weeklyHours: [
          { day: 1, start: '19:00', end: '23:00' },
          { day: 0, start: '22:00', end: '24:00' },
          { day: 1, start: '08:00', end: '10:30' },
        ],
        timeZone: 'Europe/London',
        contact: '+82 10-1234-5678',
      });
      expect(saved).toEqual({
        accountId: id,
        languages: [
          { tag: 'ko', level: 'fluent' },
          { tag: 'en', level: 'conversational' },
          { tag: 'vi', level: 'native' },
        ],
        // Sorted by day, then start.
        weeklyHours: [
          { day: 0, start: '22:00', end: '24:00' },
          { day: 1, start: '08:00', end: '10:30' },
          { day: 1, start: '19:00', end: '23:00' },
        ],
        timeZone: 'Europe/London',
        contact: '+82 10-1234-5678',
        updatedAt: clock.now(),
      });
      expect(await db.store.volunteers.getProfile(id)).toEqual(saved);
      expect((await db.store.accounts.findById(id))?.languages).toEqual(['ko', 'en', 'vi']);
      expect((await accountsRows())[0]?.languages).toBe('["ko","en","vi"]');
      expect(JSON.parse((await profileRows())[0]!.weekly_hours)).toEqual(saved.weeklyHours);
    });

    it('applies concurrent saves of one profile one after the other: no field is lost', async () => {
      const { id } = await db.store.volunteers.register(LAN);
      // Two tabs (or two nodes) saving different fields at the same moment, a few times over.
      for (let round = 0; round < 5; round++) {
        const contact = `lan+${String(round)}@example.org`;
        const weeklyHours = [{ day: round, start: '09:00', end: '12:00' }];
        await Promise.all([
          db.store.volunteers.saveProfile(id, { contact }),
          db.store.volunteers.saveProfile(id, { weeklyHours }),
        ]);
        expect(await db.store.volunteers.getProfile(id)).toMatchObject({ contact, weeklyHours });
      }
    });

    it('keeps what is left out, and clears the contact with null', async () => {
      const { id } = await db.store.volunteers.register(LAN);
      await db.store.volunteers.saveProfile(id, { weeklyHours: [{ day: 3, start: '09:00', end: '12:00' }] });
      expect(await db.store.volunteers.getProfile(id)).toMatchObject({
        languages: LAN.languages,
        weeklyHours: [{ day: 3, start: '09:00', end: '12:00' }],
        timeZone: 'Asia/Ho_Chi_Minh',
        contact: 'lan@example.org',
      });
      await db.store.volunteers.saveProfile(id, { contact: null });
      expect(await db.store.volunteers.getProfile(id)).toMatchObject({
        contact: null,
        weeklyHours: [{ day: 3, start: '09:00', end: '12:00' }],
      });
    });

    it('accepts touching windows and Sunday 24:00 next to Monday 00:00', async () => {
      const { id } = await db.store.volunteers.register(LAN);
      const hours = [
        { day: 0, start: '20:00', end: '24:00' },
        { day: 1, start: '00:00', end: '02:00' },
        { day: 1, start: '19:00', end: '21:00' },
        { day: 1, start: '21:00', end: '23:00' },
      ];
      expect((await db.store.volunteers.saveProfile(id, { weeklyHours: hours })).weeklyHours).toEqual(hours);
    });

    it('gives a CLI-made volunteer without a profile one, once languages are sent', async () => {
      const account = await db.store.accounts.create({
        username: 'cli.volunteer',
        displayName: 'From the CLI',
        role: 'volunteer',
        languages: ['en', 'ko'],
        password: GOOD_PASSWORD,
      });
      expect(await db.store.volunteers.getProfile(account.id)).toBeNull();
      expect(await issuesOf(db.store.volunteers.saveProfile(account.id, { timeZone: 'UTC' }))).toEqual([
        { field: 'languages', message: 'at least one language is required' },
      ]);
      const saved = await db.store.volunteers.saveProfile(account.id, {
        languages: [
          { tag: 'en', level: 'native' },
          { tag: 'ko', level: 'fluent' },
        ],
      });
      expect(saved).toMatchObject({ weeklyHours: [], timeZone: 'Asia/Seoul', contact: null });
    });

    it('refuses an unknown account and an account that is not a volunteer', async () => {
      await expect(
        db.store.volunteers.saveProfile('no-such-id', { languages: LAN.languages }),
      ).rejects.toBeInstanceOf(NotFoundError);
      const agent = await db.store.accounts.create({
        username: 'agent',
        displayName: 'Agent',
        role: 'agent',
        languages: ['kvk'],
        password: GOOD_PASSWORD,
      });
      expect(await issuesOf(db.store.volunteers.saveProfile(agent.id, { languages: LAN.languages }))).toEqual(
        [{ field: 'accountId', message: 'is not a volunteer account' }],
      );
      expect(await profileRows()).toEqual([]);
      expect((await db.store.accounts.findById(agent.id))?.languages).toEqual(['kvk']);
    });

    describe('rejects, naming the field, and writes nothing', () => {
      const cases: [string, Record<string, unknown>, string, RegExp][] = [
        ['no languages', { languages: [] }, 'languages', /at least one/],
        [
          'eleven languages',
          {
            languages: ['ko', 'vi', 'en', 'th', 'tl', 'km', 'mn', 'ru', 'ja', 'uz', 'ne'].map((tag) => ({
              tag,
              level: 'fluent',
            })),
          },
          'languages',
          /at most 10/,
        ],
        [
          'a duplicate tag (after canonicalising)',
          {
            languages: [
              { tag: 'ko', level: 'native' },
              { tag: 'vi', level: 'fluent' },
              { tag: 'VI', level: 'native' },
            ],
          },
          'languages.2.tag',
          /listed twice/,
        ],
        [
          'no Korean',
          { languages: [{ tag: 'vi', level: 'native' }] },
          'languages',
          /^a volunteer interprets between a language and Korean: add ko$/,
        ],
        ['Korean only', { languages: [{ tag: 'ko', level: 'native' }] }, 'languages', /add the language/],
        [
          'an unknown level',
          {
            languages: [
              { tag: 'ko', level: 'native' },
              { tag: 'vi', level: 'expert' },
            ],
          },
          'languages.1.level',
          /native, fluent, conversational/,
        ],
        [
          'a bad tag',
          {
            languages: [
              { tag: 'ko', level: 'native' },
              { tag: 'not a tag!', level: 'fluent' },
            ],
          },
          'languages.1.tag',
          /BCP-47/,
        ],
        [
          'a day out of range',
          { weeklyHours: [{ day: 7, start: '09:00', end: '10:00' }] },
          'weeklyHours.0.day',
          /0–6/,
        ],
        [
          'a fractional day',
          { weeklyHours: [{ day: 1.5, start: '09:00', end: '10:00' }] },
          'weeklyHours.0.day',
          /whole number/,
        ],
        [
          'a bad start',
          { weeklyHours: [{ day: 1, start: '9:00', end: '10:00' }] },
          'weeklyHours.0.start',
          /HH:MM/,
        ],
        [
          'start 24:00',
          { weeklyHours: [{ day: 1, start: '24:00', end: '24:00' }] },
          'weeklyHours.0.start',
          /HH:MM/,
        ],
        [
          'end 24:30',
          { weeklyHours: [{ day: 1, start: '09:00', end: '24:30' }] },
          'weeklyHours.0.end',
          /HH:MM/,
        ],
        [
          'end before start',
          { weeklyHours: [{ day: 1, start: '10:00', end: '09:00' }] },
          'weeklyHours.0.end',
          /after the start/,
        ],
        [
          'end equal to start',
          { weeklyHours: [{ day: 1, start: '10:00', end: '10:00' }] },
          'weeklyHours.0.end',
          /after the start/,
        ],
        [
          'overlapping windows on one day',
          {
            weeklyHours: [
              { day: 1, start: '19:00', end: '23:00' },
              { day: 2, start: '20:00', end: '21:00' },
              { day: 1, start: '22:00', end: '24:00' },
            ],
          },
          'weeklyHours.2',
          /22:00–24:00 overlaps 19:00–23:00/,
        ],
        [
          '51 windows',
          {
            weeklyHours: Array.from({ length: 51 }, (_, i) => ({
              day: i % 7,
              start: `${String(Math.floor(i / 7)).padStart(2, '0')}:00`,
              end: `${String(Math.floor(i / 7)).padStart(2, '0')}:30`,
            })),
          },
          'weeklyHours',
          /at most 50/,
        ],
        ['hours that are not a list', { weeklyHours: 'Mondays' }, 'weeklyHours', /list/],
        ['an unknown time zone', { timeZone: 'Asia/Atlantis' }, 'timeZone', /not a known time zone/],
        ['an empty time zone', { timeZone: ' ' }, 'timeZone', /IANA/],
        ['a long contact', { contact: 'x'.repeat(201) }, 'contact', /at most 200/],
        ['a contact with control characters', { contact: 'a\u0000b' }, 'contact', /control/],
      ];
      it.each(cases)('%s', async (_name, input, field, message) => {
        const { id } = await db.store.volunteers.register(LAN);
        const before = await profileRows();
        const accountsBefore = await accountsRows();
        const issues = await issuesOf(db.store.volunteers.saveProfile(id, input));
        expect(issues.map((i) => i.field)).toContain(field);
        expect(issues.find((i) => i.field === field)?.message).toMatch(message);
        expect(await profileRows()).toEqual(before);
        expect(await accountsRows()).toEqual(accountsBefore);
      });

      it('every bad field at once, and none of the good ones', async () => {
        const { id } = await db.store.volunteers.register(LAN);
        const before = await profileRows();
        const issues = await issuesOf(
          db.store.volunteers.saveProfile(id, {
            languages: [{ tag: 'en', level: 'native' }],
            weeklyHours: [{ day: 1, start: '10:00', end: '09:00' }],
            timeZone: 'Nowhere/Else',
            contact: 'fine@example.org',
          }),
        );
        expect(issues.map((i) => i.field)).toEqual(['languages', 'weeklyHours.0.end', 'timeZone']);
        expect(await profileRows()).toEqual(before);
      });
    });
  });

  it('never leaves an account without a profile: a failing profile insert rolls the account back', async () => {
    // Make the second statement of the transaction fail, behind the store's back.
    await db.exec(REFUSE_PROFILES[engine]);
    await expect(db.store.volunteers.register(LAN)).rejects.toThrow(/refused by test/);
    expect(await accountsRows()).toEqual([]);
    expect(await profileRows()).toEqual([]);
  });
});
