// Numbers, shares, durations and times in the UI language, and a figure with its sample size.
import { html, type TemplateResult } from 'lit-html';
import { i18n, t } from '../i18n';
import type { FigureValue } from './figureColumns';

export const formatCount = (n: number): string => new Intl.NumberFormat(i18n.language).format(n);

export const formatShare = (share: number): string =>
  new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(share);

/**
 * Under 100 s in seconds, else in minutes with one decimal: an answer time reads "14 s", a handle
 * time "5.9 min". `signed` for a bias, where the sign is the point.
 */
export function formatDuration(ms: number, signed = false): string {
  const seconds = ms / 1000;
  const minutes = Math.abs(seconds) >= 100;
  return new Intl.NumberFormat(i18n.language, {
    style: 'unit',
    unit: minutes ? 'minute' : 'second',
    unitDisplay: 'short',
    maximumFractionDigits: minutes ? 1 : 0,
    ...(signed && { signDisplay: 'exceptZero' }),
  }).format(minutes ? seconds / 60 : seconds);
}

/** A moment in the centre's zone (the figures' `timeZone`), else the browser's. */
export function formatMoment(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'short',
    timeStyle: 'short',
    ...(timeZone && { timeZone }),
  }).format(ms);
}

/** "14:00" for hour 14 of the day, with the UI language's digits. */
export function formatHour(hour: number): string {
  return new Intl.DateTimeFormat(i18n.language, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(Date.UTC(2000, 0, 1, hour));
}

/** The value alone, as text: "—" when there is no sample. */
export function valueText(v: FigureValue, signed = false): string {
  if (v.kind === 'count') return formatCount(v.value);
  if (v.value === null) return '—';
  return v.kind === 'rate' ? formatShare(v.value) : formatDuration(v.value, signed);
}

/**
 * A table cell's content: the value and its sample size below it. Small groups are the norm (a rare
 * language has a handful of calls a week), so n is always shown; no sample reads "—" on screen and
 * "no sample" to a screen reader.
 */
export function figureCell(v: FigureValue, signed = false): TemplateResult {
  if (v.kind === 'count') return html`${formatCount(v.value)}`;
  const sample = html`<span class="sample">${t('figures:sample', { n: formatCount(v.n) })}</span>`;
  if (v.value === null) {
    return html`<span aria-hidden="true">—</span
      ><span class="visually-hidden">${t('figures:noSample')}</span>${sample}`;
  }
  return html`${valueText(v, signed)}${sample}`;
}
