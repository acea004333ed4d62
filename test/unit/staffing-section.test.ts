import type { TemplateResult } from 'lit-html';
import { describe, expect, it } from 'vitest';
import type { StaffingResponse } from '../../common/staffing';
import { staffingPath, view } from '../../client/src/supervisor/staffingSection';

/** The markup a template stands for, nested templates and lists included (no DOM needed). */
function markup(value: unknown): string {
  if (Array.isArray(value)) return value.map(markup).join('');
  if (typeof value === 'object' && value !== null && 'strings' in value && 'values' in value) {
    const { strings, values } = value as TemplateResult;
    return strings.reduce((out, s, i) => out + s + (i < values.length ? markup(values[i]) : ''), '');
  }
  return String(value);
}

/** A translator that shows which key was asked for, with which values. */
const t = (key: string, options?: Record<string, unknown>) =>
  options === undefined ? `[${key}]` : `[${key} ${JSON.stringify(options)}]`;

const hours = Array.from({ length: 168 }, (_, i) => ({
  weekday: Math.floor(i / 24),
  hour: i % 24,
  arrivalsPerHour: i === 24 + 10 ? 60 : 0,
  erlangC: i === 24 + 10 ? 9 : 0,
  erlangA: i === 24 + 10 ? 8 : 0,
}));

const data: StaffingResponse = {
  from: Date.UTC(2025, 1, 15, 15),
  to: Date.UTC(2025, 2, 15, 15),
  weeks: 4,
  target: { share: 0.8, seconds: 20 },
  groups: [
    { key: 'ko', calls: 240, ahtS: 351, patienceS: 80 },
    { key: 'kvk', calls: 12, ahtS: 600, patienceS: null },
    { key: 'interpreted', calls: 0, ahtS: null, patienceS: null },
  ],
  hours,
  shifts: [
    { shift: 'day', needed: 8, erlangC: 9, erlangA: 8, rostered: 5 },
    { shift: 'night', needed: 2, erlangC: 2, erlangA: null, rostered: 4 },
    { shift: 'weekend', needed: 1, erlangC: 1, erlangA: 1, rostered: 1 },
  ],
};

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('staffing section', () => {
  const html = flat(markup(view(data, t)));
  const rows = (tableClass: string) =>
    html
      .split(`<table class="${tableClass}">`)[1]!
      .split('</table>')[0]!
      .split('<tbody>')[1]!
      .split('</tr>')
      .filter((r) => r.includes('<th scope="row">'));

  it('captions both tables and heads their columns', () => {
    expect(html).toContain('<h2 id="staffing-title">[staffing:title]</h2>');
    expect(html).toMatch(
      /<caption> \[staffing:shifts\.caption \{"percent":"80%","seconds":"20"\}\] <\/caption>/,
    );
    expect(html).toMatch(/<caption> \[staffing:groups\.caption \{"weeks":4\}\] <\/caption>/);
    for (const key of ['shift', 'erlangC', 'erlangA', 'rostered', 'gap']) {
      expect(html).toContain(`<th scope="col">[staffing:shifts.${key}]</th>`);
    }
  });

  it('shows per shift the need by each model, the roster and the gap in words', () => {
    const shifts = rows('staffing-shifts');
    expect(shifts).toHaveLength(3);
    expect(shifts[0]).toMatch(
      /day<\/th> <td>9<\/td> <td>8<\/td> <td>5<\/td> <td><strong>\[staffing:shifts\.short \{"n":3\}\]<\/strong><\/td>/,
    );
    expect(shifts[1]).toMatch(
      /night<\/th> <td>2<\/td> <td>\[staffing:shifts\.noFit\]<\/td> <td>4<\/td> <td>\[staffing:shifts\.spare \{"n":2\}\]<\/td>/,
    );
    expect(shifts[2]).toMatch(/weekend<\/th> .*<td>\[staffing:shifts\.even\]<\/td>/);
  });

  it('shows per skill group the calls, handle time and patience, or that there is none', () => {
    const groups = rows('staffing-groups');
    expect(groups.map((r) => /\[staffing:groups\.(\w+)\]<\/th>/.exec(r)?.[1])).toEqual([
      'ko',
      'kvk',
      'interpreted',
    ]);
    expect(groups[0]).toMatch(/<td>240<\/td> <td>351\D+<\/td> <td>80\D+<\/td>/);
    expect(groups[1]).toMatch(/<td>12<\/td> <td>600\D+<\/td> <td>\[staffing:groups\.none\]<\/td>/);
    expect(groups[2]).toMatch(
      /<td>0<\/td> <td>\[staffing:groups\.none\]<\/td> <td>\[staffing:groups\.none\]<\/td>/,
    );
  });

  it('names the busiest hour of the week and its need, or says no call came', () => {
    expect(html).toMatch(
      /\[staffing:busiest \{"when":"[^"]*Monday[^"]*10:00[^"]*","calls":"60","agents":8\}\]/,
    );
    const quiet = flat(markup(view({ ...data, groups: data.groups.map((g) => ({ ...g, calls: 0 })) }, t)));
    expect(quiet).toContain('[staffing:noCalls]');
    expect(quiet).not.toContain('staffing:busiest');
  });

  it('asks the API for the weeks and target given, ignoring a page period', () => {
    expect(staffingPath()).toBe('/api/supervisor/staffing');
    expect(staffingPath({ weeks: 8, target: '90/30', period: 'today' })).toBe(
      '/api/supervisor/staffing?weeks=8&target=90%2F30',
    );
  });
});
