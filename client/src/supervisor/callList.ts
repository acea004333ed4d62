// The call list: filters (language, mode, outcome, agent; the period is the page's), newest first,
// "Show more" for the next page, and a CSV of exactly the rows on screen.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { i18n, t } from '../i18n';
import type { CallListItem, FiguresResponse } from './contract';
import { type CsvCell, downloadCsv, toCsv } from './csv';
import { formatCount, formatDuration, formatMoment } from './format';
import { categoryName, languageName, modeName, outcomeName, shiftName } from './names';
import type { CallFilters } from './supervisorApi';
import { caption, scrollBox } from './tables';

export interface CallListState {
  filters: CallFilters;
  calls: CallListItem[];
  next: number | null;
  loading: boolean;
  failed: boolean;
}

export interface CallListActions {
  filter: (filters: CallFilters) => void;
  more: () => void;
}

/** What the filters offer: the languages and agents the period's figures know. */
export interface FilterChoices {
  languages: FiguresResponse | undefined;
  agents: FiguresResponse | undefined;
}

interface CallColumn {
  header: () => string;
  cell: (c: CallListItem, timeZone?: string) => string;
  /** For the CSV: raw numbers and codes where a spreadsheet wants them, else the shown text. */
  csv?: (c: CallListItem, timeZone?: string) => CsvCell;
  /** The CSV's header where it must say more than the screen's (a unit, the time zone). */
  csvHeader?: (timeZone?: string) => string;
  num?: boolean;
}

/** "2026-12-02 14:03:00" in the centre's zone: a form every spreadsheet reads as a date and time. */
function spreadsheetMoment(ms: number, timeZone?: string): string {
  // Swedish writes dates the ISO way; it is a format here, not a language.
  return new Intl.DateTimeFormat('sv-SE', {
    dateStyle: 'short',
    timeStyle: 'medium',
    ...(timeZone && { timeZone }),
  }).format(ms);
}

const yesNo = (b: boolean | null) => (b === null ? '' : t(b ? 'figures:calls.yes' : 'figures:calls.no'));
const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

const COLUMNS: CallColumn[] = [
  {
    header: () => t('figures:calls.started'),
    cell: (c, tz) => formatMoment(c.startedAt, tz),
    csv: (c, tz) => spreadsheetMoment(c.startedAt, tz),
    csvHeader: (tz) =>
      t('figures:calls.startedIn', { zone: tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone }),
  },
  { header: () => t('figures:calls.language'), cell: (c) => languageName(c.callerLanguage) },
  { header: () => t('figures:calls.mode'), cell: (c) => modeName(c.mode) },
  { header: () => t('figures:calls.shift'), cell: (c) => (c.shift === null ? '' : shiftName(c.shift)) },
  { header: () => t('figures:calls.agent'), cell: (c) => c.agentName ?? '' },
  { header: () => t('figures:calls.interpreter'), cell: (c) => c.interpreterName ?? '' },
  { header: () => t('figures:calls.outcome'), cell: (c) => outcomeName(c.outcome) },
  {
    header: () => t('figures:calls.waited'),
    cell: (c) => (c.waitedMs === null ? '' : formatDuration(c.waitedMs)),
    csv: (c) => seconds(c.waitedMs),
    csvHeader: () => t('figures:csv.seconds', { name: t('figures:calls.waited') }),
    num: true,
  },
  {
    header: () => t('figures:calls.estimate'),
    cell: (c) => (c.shownEstimateMs === null ? '' : formatDuration(c.shownEstimateMs)),
    csv: (c) => seconds(c.shownEstimateMs),
    csvHeader: () => t('figures:csv.seconds', { name: t('figures:calls.estimate') }),
    num: true,
  },
  { header: () => t('figures:calls.resolved'), cell: (c) => yesNo(c.resolved) },
  { header: () => t('figures:calls.category'), cell: (c) => categoryName(c.category) },
  {
    header: () => t('figures:calls.rating'),
    cell: (c) => (c.rating === null ? '' : t('figures:calls.ratingOf', { rating: formatCount(c.rating) })),
    csv: (c) => c.rating,
    num: true,
  },
];

export function callsCsv(calls: readonly CallListItem[], timeZone?: string): string {
  const rows = calls.map((c) =>
    COLUMNS.map((col) => (col.csv ? col.csv(c, timeZone) : col.cell(c, timeZone))),
  );
  return toCsv(
    COLUMNS.map((col) => (col.csvHeader ? col.csvHeader(timeZone) : col.header())),
    rows,
  );
}

function select(
  id: string,
  label: string,
  value: string,
  options: Array<[string, string]>,
  onChange: (v: string) => void,
): TemplateResult {
  return html`<div class="filter">
    <label for=${id}>${label}</label>
    <select id=${id} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${value === ''}>${t('figures:calls.any')}</option>
      ${options.map(([v, name]) => html`<option value=${v} ?selected=${v === value}>${name}</option>`)}
    </select>
  </div>`;
}

function filtersForm(state: CallListState, choices: FilterChoices, actions: CallListActions): TemplateResult {
  const f = state.filters;
  const set = (patch: Partial<CallFilters>) => actions.filter({ ...f, ...patch });
  const languages = new Set((choices.languages?.groups ?? []).map((g) => g.key));
  if (f.language) languages.add(f.language);
  const agents = new Map((choices.agents?.groups ?? []).map((g) => [g.key, g.label]));
  const byName = (a: [string, string], b: [string, string]) => a[1].localeCompare(b[1], i18n.language);
  return html`<form class="filters" @submit=${(e: Event) => e.preventDefault()}>
    ${select(
      'calls-language',
      t('figures:calls.language'),
      f.language,
      [...languages].map((l): [string, string] => [l, languageName(l)]).sort(byName),
      (language) => set({ language }),
    )}
    ${select(
      'calls-mode',
      t('figures:calls.mode'),
      f.mode,
      [
        ['video', modeName('video')],
        ['text', modeName('text')],
      ],
      (mode) => set({ mode: mode as CallFilters['mode'] }),
    )}
    ${select(
      'calls-outcome',
      t('figures:calls.outcome'),
      f.outcome,
      (['completed', 'abandoned', 'failed'] as const).map((o): [string, string] => [o, outcomeName(o)]),
      (outcome) => set({ outcome: outcome as CallFilters['outcome'] }),
    )}
    ${select('calls-agent', t('figures:calls.agent'), f.agentId, [...agents].sort(byName), (agentId) =>
      set({ agentId }),
    )}
  </form>`;
}

export function callList(
  state: CallListState,
  choices: FilterChoices,
  actions: CallListActions,
  timeZone: string | undefined,
  fileToken: string,
): TemplateResult {
  const title = t('figures:calls.heading');
  const table = html`<table id="calls-table" class="figures wide">
    ${caption(t('figures:calls.caption', { n: formatCount(state.calls.length) }))}
    <thead>
      <tr>
        ${COLUMNS.map((c) => html`<th scope="col">${c.header()}</th>`)}
      </tr>
    </thead>
    <tbody id="calls-body">
      ${
        state.calls.length === 0
          ? html`<tr class="empty">
              <td colspan=${COLUMNS.length}>${t(state.loading ? 'figures:loading' : 'figures:noCalls')}</td>
            </tr>`
          : repeat(
              state.calls,
              (c) => c.id,
              (c) =>
                html`<tr>
                  ${COLUMNS.map((col, i) =>
                    i === 0
                      ? html`<th scope="row">${col.cell(c, timeZone)}</th>`
                      : html`<td class=${col.num ? 'num' : ''}>${col.cell(c, timeZone)}</td>`,
                  )}
                </tr>`,
            )
      }
    </tbody>
  </table>`;
  return html`<section aria-labelledby="calls-heading">
    <h2 id="calls-heading">${title}</h2>
    ${filtersForm(state, choices, actions)}
    <p class="error" ?hidden=${!state.failed}>${t('figures:loadFailed')}</p>
    ${scrollBox(title, table)}
    <div class="actions">
      ${
        state.next !== null
          ? html`<button type="button" id="calls-more" ?disabled=${state.loading} @click=${actions.more}>
              ${t('figures:calls.more')}
            </button>`
          : ''
      }
      <button
        type="button"
        class="csv"
        data-csv="calls"
        ?disabled=${state.calls.length === 0}
        aria-label=${t('figures:csv.downloadNamed', { name: title })}
        @click=${() => downloadCsv(`calls-${fileToken}.csv`, callsCsv(state.calls, timeZone))}
      >
        ${t('figures:csv.download')}
      </button>
    </div>
  </section>`;
}
