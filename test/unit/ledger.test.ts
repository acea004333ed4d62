import { describe, expect, it } from 'vitest';
import { monthBounds, monthOf, monthsBetween } from '../../server/src/ledger/months';
import { type LedgerFacts, volunteerLedger } from '../../server/src/ledger/volunteerLedger';

const SEOUL = 'Asia/Seoul';
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Seoul is UTC+9 all year: local `YYYY-MM-DDTHH:mm` as an instant. */
const seoul = (local: string) => Date.parse(`${local}:00+09:00`);

describe('months in the centre zone', () => {
  it('puts 00:30 on the 1st in Seoul in that month, though UTC still says the month before', () => {
    const at = seoul('2026-11-01T00:30');
    expect(new Date(at).toISOString().slice(0, 7)).toBe('2026-10');
    expect(monthOf(at, SEOUL)).toBe('2026-11');
  });

  it('bounds a month at local midnight, also across a daylight-saving change', () => {
    expect(monthBounds('2026-11', SEOUL)).toEqual({
      from: seoul('2026-11-01T00:00'),
      to: seoul('2026-12-01T00:00'),
    });
    expect(monthBounds('2026-12', SEOUL).to).toBe(seoul('2027-01-01T00:00'));
    // Berlin: CEST (+2) on 1 October, CET (+1) on 1 November.
    expect(monthBounds('2026-10', 'Europe/Berlin')).toEqual({
      from: Date.parse('2026-10-01T00:00:00+02:00'),
      to: Date.parse('2026-11-01T00:00:00+01:00'),
    });
    expect(() => monthBounds('2026-13', SEOUL)).toThrow(RangeError);
    expect(() => monthBounds('26-01', SEOUL)).toThrow(/YYYY-MM/);
  });

  it('lists the months between two, over a new year', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11', '2026-11')).toEqual(['2026-11']);
    expect(monthsBetween('2026-12', '2026-11')).toEqual([]);
  });
});

describe('volunteerLedger', () => {
  const lan = { id: 'v-lan', name: 'Nguyễn Thị Lan' };
  const somchai = { id: 'v-som', name: 'Somchai' };
  const now = seoul('2026-12-02T10:00');

  const facts: LedgerFacts = {
    volunteers: [somchai, lan],
    presence: [
      // Online across midnight into December: 23:00–01:00 splits 1 h / 1 h.
      {
        accountId: lan.id,
        state: 'available',
        start: seoul('2026-11-30T23:00'),
        end: seoul('2026-12-01T00:20'),
      },
      {
        accountId: lan.id,
        state: 'in-call',
        start: seoul('2026-12-01T00:20'),
        end: seoul('2026-12-01T00:50'),
      },
      {
        accountId: lan.id,
        state: 'invited',
        start: seoul('2026-12-01T00:50'),
        end: seoul('2026-12-01T01:00'),
      },
      // Away and offline are not time given.
      { accountId: lan.id, state: 'away', start: seoul('2026-12-01T01:00'), end: seoul('2026-12-01T03:00') },
      // Still online: counts up to `now`.
      { accountId: somchai.id, state: 'available', start: seoul('2026-12-02T09:15'), end: null },
      // Someone who is not a volunteer of this ledger is ignored.
      {
        accountId: 'agent-1',
        state: 'available',
        start: seoul('2026-11-10T09:00'),
        end: seoul('2026-11-10T18:00'),
      },
    ],
    interpretations: [
      {
        volunteerId: lan.id,
        language: 'vi',
        joinedAt: seoul('2026-11-30T23:40'),
        leftAt: seoul('2026-12-01T00:10'),
      },
      {
        volunteerId: lan.id,
        language: 'vi',
        joinedAt: seoul('2026-12-01T00:20'),
        leftAt: seoul('2026-12-01T00:50'),
      },
      {
        volunteerId: lan.id,
        language: 'zh-CN',
        joinedAt: seoul('2026-12-01T09:00'),
        leftAt: seoul('2026-12-01T09:06'),
      },
      { volunteerId: somchai.id, language: 'th', joinedAt: seoul('2026-12-02T09:50'), leftAt: null },
    ],
    invitations: [
      { volunteerId: lan.id, at: seoul('2026-11-30T23:39'), outcome: 'accepted' },
      { volunteerId: lan.id, at: seoul('2026-11-15T12:00'), outcome: 'declined' },
      { volunteerId: lan.id, at: seoul('2026-12-01T00:19'), outcome: 'accepted' },
      { volunteerId: lan.id, at: seoul('2026-12-01T08:59'), outcome: 'accepted' },
      { volunteerId: lan.id, at: seoul('2026-12-01T00:55'), outcome: 'expired' },
      { volunteerId: somchai.id, at: seoul('2026-12-01T00:55'), outcome: 'withdrawn' },
      { volunteerId: somchai.id, at: seoul('2026-12-02T09:49'), outcome: 'accepted' },
    ],
  };

  const rows = volunteerLedger(facts, { firstMonth: '2026-11', lastMonth: '2026-12', timeZone: SEOUL, now });
  const row = (id: string, month: string) => rows.find((r) => r.volunteerId === id && r.month === month);

  it('has a row for every volunteer in every month, months in order and names sorted', () => {
    expect(rows.map((r) => `${r.month} ${r.name}`)).toEqual([
      '2026-11 Nguyễn Thị Lan',
      '2026-11 Somchai',
      '2026-12 Nguyễn Thị Lan',
      '2026-12 Somchai',
    ]);
    expect(row(somchai.id, '2026-11')).toEqual({
      volunteerId: somchai.id,
      name: 'Somchai',
      month: '2026-11',
      onlineMs: 0,
      interpretingMs: 0,
      calls: 0,
      callsByLanguage: {},
      invitations: { accepted: 0, declined: 0, expired: 0, withdrawn: 0 },
    });
  });

  it('splits time at local midnight and counts a call in the month it was joined', () => {
    // November: online 23:00–24:00 (1 h); interpreting 23:40–24:00 (20 min); one vi call; 1 accepted, 1 declined.
    expect(row(lan.id, '2026-11')).toMatchObject({
      onlineMs: HOUR,
      interpretingMs: 20 * MINUTE,
      calls: 1,
      callsByLanguage: { vi: 1 },
      invitations: { accepted: 1, declined: 1, expired: 0, withdrawn: 0 },
    });
    // December: online 00:00–01:00 (available, in-call, invited; away excluded) = 1 h;
    // interpreting 00:00–00:10 + 00:20–00:50 + 09:00–09:06 = 46 min; calls vi 1, zh-CN 1.
    expect(row(lan.id, '2026-12')).toMatchObject({
      onlineMs: HOUR,
      interpretingMs: 46 * MINUTE,
      calls: 2,
      callsByLanguage: { vi: 1, 'zh-CN': 1 },
      invitations: { accepted: 2, declined: 0, expired: 1, withdrawn: 0 },
    });
  });

  it('clips what is still open at now', () => {
    expect(row(somchai.id, '2026-12')).toMatchObject({
      onlineMs: 45 * MINUTE,
      interpretingMs: 10 * MINUTE,
      calls: 1,
      callsByLanguage: { th: 1 },
      invitations: { accepted: 1, declined: 0, expired: 0, withdrawn: 1 },
    });
  });

  it('leaves out facts outside the months asked for', () => {
    const december = volunteerLedger(facts, {
      firstMonth: '2026-12',
      lastMonth: '2026-12',
      timeZone: SEOUL,
      now,
    });
    expect(december.map((r) => r.month)).toEqual(['2026-12', '2026-12']);
    expect(december.find((r) => r.volunteerId === lan.id)?.invitations.declined).toBe(0);
  });
});
