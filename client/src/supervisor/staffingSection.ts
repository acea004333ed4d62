// The supervisor page's staffing section: the agents each shift needs, computed from the last weeks of
// calls (GET /api/supervisor/staffing), beside the agents rostered on it, and the history per skill
// group it was computed from. A function of its data: the page renders it with lit-html. The rows hold
// no inputs, so they need no keys (repeat) to keep focus across a re-render.
import { html, type TemplateResult } from 'lit-html';
import type { StaffingGroupKey, StaffingResponse, StaffingShift } from '../../../common/staffing';
import { api } from '../api';
import { i18n, type Resources } from '../i18n';
import type { Translate } from './figureColumns';

/**
 * What to compute over. Staffing always looks back whole weeks (a week's pattern repeats), so the
 * page's period or dates, if passed along, are ignored.
 */
export interface StaffingRange {
  /** Weeks of history, 1..26 (the server's default: 4). */
  weeks?: number;
  /** Service-level target as `percent/seconds` (the server's default: 80/20). */
  target?: string;
  [other: string]: unknown;
}

export function staffingPath(range: StaffingRange = {}): string {
  const query = new URLSearchParams();
  if (range.weeks !== undefined) query.set('weeks', String(range.weeks));
  if (range.target !== undefined) query.set('target', range.target);
  const text = query.toString();
  return `/api/supervisor/staffing${text === '' ? '' : `?${text}`}`;
}

export function load(range: StaffingRange = {}): Promise<StaffingResponse> {
  return api<StaffingResponse>(staffingPath(range));
}

export function view(data: StaffingResponse, t: Translate): TemplateResult {
  const lng = i18n.language;
  const number = new Intl.NumberFormat(lng, { maximumFractionDigits: 1 });
  const seconds = new Intl.NumberFormat(lng, { style: 'unit', unit: 'second', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
  const percent = new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 1 });
  const none = t('staffing:groups.none');
  const calls = data.groups.reduce((n, g) => n + g.calls, 0);
  const busiest = data.hours.reduce(
    (a, b) => (b.arrivalsPerHour > a.arrivalsPerHour ? b : a),
    data.hours[0]!,
  );

  return html`
    <section class="staffing" aria-labelledby="staffing-title">
      <h2 id="staffing-title">${t('staffing:title')}</h2>
      <p>
        ${t('staffing:period', {
          weeks: data.weeks,
          from: date.format(data.from),
          to: date.format(data.to),
          percent: percent.format(data.target.share),
          seconds: number.format(data.target.seconds),
        })}
      </p>
      ${
        calls === 0
          ? html`<p>${t('staffing:noCalls')}</p>`
          : html`<p>
              ${t('staffing:busiest', {
                when: weekHour(lng, busiest.weekday, busiest.hour),
                calls: number.format(busiest.arrivalsPerHour),
                agents: busiest.erlangA ?? busiest.erlangC,
              })}
            </p>`
      }
      <table class="staffing-shifts">
        <caption>
          ${t('staffing:shifts.caption', {
            percent: percent.format(data.target.share),
            seconds: number.format(data.target.seconds),
          })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('staffing:shifts.shift')}</th>
            <th scope="col">${t('staffing:shifts.erlangC')}</th>
            <th scope="col">${t('staffing:shifts.erlangA')}</th>
            <th scope="col">${t('staffing:shifts.rostered')}</th>
            <th scope="col">${t('staffing:shifts.gap')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.shifts.map(
            (s) => html`
              <tr>
                <th scope="row">${shiftName(s.shift, t)}</th>
                <td>${s.erlangC}</td>
                <td>${s.erlangA ?? t('staffing:shifts.noFit')}</td>
                <td>${s.rostered}</td>
                <td>${gap(s, t)}</td>
              </tr>
            `,
          )}
        </tbody>
      </table>
      <table class="staffing-groups">
        <caption>
          ${t('staffing:groups.caption', { weeks: data.weeks })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('staffing:groups.group')}</th>
            <th scope="col">${t('staffing:groups.calls')}</th>
            <th scope="col">${t('staffing:groups.aht')}</th>
            <th scope="col">${t('staffing:groups.patience')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.groups.map(
            (g) => html`
              <tr>
                <th scope="row">${groupName(g.key, t)}</th>
                <td>${g.calls}</td>
                <td>${g.ahtS === null ? none : seconds.format(g.ahtS)}</td>
                <td>${g.patienceS === null ? none : seconds.format(g.patienceS)}</td>
              </tr>
            `,
          )}
        </tbody>
      </table>
      <p class="staffing-method">${t('staffing:method')}</p>
    </section>
  `;
}

/** Rostered against needed, in words as well as figures, so nothing hangs on a colour. */
function gap(s: StaffingShift, t: Translate): TemplateResult {
  const n = s.rostered - s.needed;
  if (n < 0) return html`<strong>${t('staffing:shifts.short', { n: -n })}</strong>`;
  return html`${n > 0 ? t('staffing:shifts.spare', { n }) : t('staffing:shifts.even')}`;
}

function groupName(key: StaffingGroupKey, t: Translate): string {
  switch (key) {
    case 'ko':
      return t('staffing:groups.ko');
    case 'kvk':
      return t('staffing:groups.kvk');
    case 'interpreted':
      return t('staffing:groups.interpreted');
  }
}

/** The default shifts' names as the live figures translate them; a centre's own names as configured. */
function shiftName(shift: string, t: Translate): string {
  // Looked up once i18n.exists says English has it: the template ranges over keys tsc knows.
  const key =
    `supervisor:figures.shifts.${shift as keyof Resources['supervisor']['figures']['shifts']}` as const;
  return i18n.exists(key) ? t(key) : shift;
}

/** "Monday 10:00" in the UI language: a weekday (0 = Sunday) and hour, not a date. */
function weekHour(lng: string, weekday: number, hour: number): string {
  // 5 January 2025 was a Sunday; read in UTC, so only the weekday and the hour matter.
  const at = Date.UTC(2025, 0, 5 + weekday, hour);
  return new Intl.DateTimeFormat(lng, {
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(at);
}
