/**
 * The supervisor's "time away and occupancy" section: `load(range)` asks the server, `view(data, t)`
 * renders it (lit-html), so a language change or new data is a re-render. Mounted by the page.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import type { PresenceResponse, Rate, StaffPresence } from '../../../common/presence';
import { api } from '../api';
import type { Resources } from '../i18n';
import type { Translate } from './figureColumns';

export type PresenceRange = { period: 'today' | '7d' } | { from: number; to: number };

/** The states shown per member of staff, in this order (offline time is not shown). */
const STATES = ['available', 'offered', 'invited', 'in-call', 'wrap-up', 'away'] as const;

export function load(range: PresenceRange): Promise<PresenceResponse> {
  const query =
    'period' in range
      ? new URLSearchParams({ period: range.period })
      : new URLSearchParams({ from: String(range.from), to: String(range.to) });
  return api<PresenceResponse>(`/api/supervisor/presence?${query.toString()}`);
}

/** Hours and minutes in the UI language, e.g. "2 hr 5 min" (whole minutes, rounded). */
export function hoursMinutes(ms: number, lang = uiLanguage()): string {
  const total = Math.round(ms / 60_000);
  const unit = (unit: 'hour' | 'minute', n: number) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
  const hours = Math.floor(total / 60);
  return hours > 0 ? `${unit('hour', hours)} ${unit('minute', total % 60)}` : unit('minute', total);
}

/** The page's language (i18n.ts keeps `<html lang>` in step with the UI language). */
function uiLanguage(): string {
  return document.documentElement.lang || 'ko';
}

function percent(share: number | null, lang = uiLanguage()): string {
  return share === null
    ? '—'
    : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

function occupancyCell(rate: Rate, t: Translate): TemplateResult {
  // The sample beside the share: a small staffed time says the share means little.
  return html`${percent(rate.value)}
    <span class="sample">(${t('presence:section.sample', { time: hoursMinutes(rate.n) })})</span>`;
}

/** A reason's name; one the locales do not know (a newer server's) shows as sent. */
function reasonLabel(reason: string, t: Translate): string {
  const key = `presence:reasons.${reason as keyof Resources['presence']['reasons']}` as const;
  const label = t(key);
  return label === key || label === `reasons.${reason}` ? reason : label;
}

export function view(data: PresenceResponse, t: Translate): TemplateResult {
  const totalAway = data.awayByReason.reduce((sum, r) => sum + r.ms, 0);
  return html`
    <section class="presence-section" aria-labelledby="presence-heading">
      <h2 id="presence-heading">${t('presence:section.title')}</h2>
      <table class="figures" id="presence-by-reason">
        <caption>
          ${t('presence:section.byReason')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('presence:section.reason')}</th>
            <th scope="col">${t('presence:section.time')}</th>
            <th scope="col">${t('presence:section.share')}</th>
            <th scope="col">${t('presence:section.intervals')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.awayByReason.map(
            (r) =>
              html`<tr>
                <th scope="row">${reasonLabel(r.reason, t)}</th>
                <td>${hoursMinutes(r.ms)}</td>
                <td>${percent(totalAway === 0 ? null : r.ms / totalAway)}</td>
                <td>${r.intervals}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${totalAway === 0 ? html`<p class="status">${t('presence:section.none')}</p>` : nothing}
      <table class="figures" id="presence-per-staff">
        <caption>
          ${t('presence:section.perStaff')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('presence:section.name')}</th>
            <th scope="col">${t('presence:section.role')}</th>
            ${STATES.map((s) => html`<th scope="col">${t(`presence:states.${s}`)}</th>`)}
            <th scope="col">${t('presence:section.occupancy')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.staff.map((s) => staffRow(s, t))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan=${2 + STATES.length}>${t('presence:section.occupancy')}</th>
            <td>${occupancyCell(data.occupancy, t)}</td>
          </tr>
        </tfoot>
      </table>
      ${data.staff.length === 0 ? html`<p class="status">${t('presence:section.noStaff')}</p>` : nothing}
    </section>
  `;
}

function staffRow(s: StaffPresence, t: Translate): TemplateResult {
  const away = Object.entries(s.awayByReason)
    .map(([reason, ms]) => `${reasonLabel(reason, t)} ${hoursMinutes(ms)}`)
    .join(', ');
  return html`<tr>
    <th scope="row">${s.name}</th>
    <td>${t(`presence:roles.${s.role}`)}</td>
    ${STATES.map(
      (state) =>
        html`<td>
          ${hoursMinutes(s.msByState[state] ?? 0)}${
            state === 'away' && away ? html`<br /><span class="sample">${away}</span>` : nothing
          }
        </td>`,
    )}
    <td>${occupancyCell(s.occupancy, t)}</td>
  </tr>`;
}
