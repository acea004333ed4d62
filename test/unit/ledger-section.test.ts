import { describe, expect, it } from 'vitest';
import type { LedgerResponse } from '../../common/ledger';
import { ledgerCsv } from '../../client/src/supervisor/ledgerSection';

/** A translator that shows which key was asked for. */
const t = (key: string) => `[${key}]`;

const data: LedgerResponse = {
  from: '2026-11',
  to: '2026-12',
  timeZone: 'Asia/Seoul',
  rows: [
    {
      volunteerId: 'v1',
      name: 'Nguyễn, "Lan"',
      month: '2026-11',
      onlineMs: 5_400_000,
      interpretingMs: 1_260_000,
      calls: 3,
      callsByLanguage: { vi: 2, 'zh-CN': 1 },
      invitations: { accepted: 3, declined: 1, expired: 2, withdrawn: 4 },
    },
  ],
};

describe('ledgerCsv', () => {
  it('is the table as CSV: BOM, headers by key, hours with one decimal, names quoted', () => {
    const csv = ledgerCsv(data, t);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, row, end] = csv.slice(1).split('\r\n');
    expect(header).toBe(
      [
        'month',
        'volunteer',
        'online',
        'interpreting',
        'calls',
        'languages',
        'accepted',
        'declined',
        'ignored',
        'withdrawn',
      ]
        .map((c) => `[ledger:columns.${c}]`)
        .join(','),
    );
    // 1.5 h online, 0.35 h interpreting rounds to 0.4; "ignored" is the expired invitations.
    expect(row).toMatch(/^[^,]*2026[^,]*,"Nguyễn, ""Lan""",1.5,0.4,3,"[^"]+ 2, [^"]+ 1",3,1,2,4$/);
    expect(end).toBe('');
  });
});
