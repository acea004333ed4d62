// The supervisor page's volunteer ledger: per volunteer and month, hours online and interpreting,
// calls by language and how invitations were answered (GET /api/supervisor/ledger), and the same
// rows as CSV, which is what a volunteer programme hands its sponsor.
import { html, type TemplateResult } from 'lit-html';
import type { LedgerResponse, LedgerRow } from '../../../common/ledger';
import { api } from '../api';
import { i18n, languageName } from '../i18n';
import { type CsvCell, downloadCsv, toCsv } from './csv';
import { caption, scrollBox } from './tables';
import type { Translate } from './figureColumns';

/** The server's default range: this month and the two before it (the page's period does not apply). */
export function load(): Promise<LedgerResponse> {
  return api<LedgerResponse>('/api/supervisor/ledger');
}

const HOUR_MS = 3_600_000;

function monthName(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    Date.UTC(year, index - 1, 15),
  );
}

/** "Vietnamese 2, Chinese 1", most calls first. */
function byLanguage(row: LedgerRow, format: (n: number) => string): string {
  return Object.entries(row.callsByLanguage)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([tag, n]) => `${languageName(tag)} ${format(n)}`)
    .join(', ');
}

const COLUMNS = [
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
] as const;

/** One row's cells, in COLUMNS order: hours with one decimal, counts as numbers. */
function cells(row: LedgerRow, format: (n: number) => string, hours: (ms: number) => number | string) {
  return [
    monthName(row.month),
    row.name,
    hours(row.onlineMs),
    hours(row.interpretingMs),
    row.calls,
    byLanguage(row, format),
    row.invitations.accepted,
    row.invitations.declined,
    row.invitations.expired,
    row.invitations.withdrawn,
  ];
}

export function ledgerCsv(data: LedgerResponse, t: Translate): string {
  const body: CsvCell[][] = data.rows.map((row) =>
    cells(row, String, (ms) => Math.round((ms / HOUR_MS) * 10) / 10),
  );
  return toCsv(
    COLUMNS.map((c) => t(`ledger:columns.${c}`)),
    body,
  );
}

export function view(data: LedgerResponse, t: Translate): TemplateResult {
  const number = new Intl.NumberFormat(i18n.language);
  const hours = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const title = t('ledger:caption');
  return html`<section class="ledger" aria-labelledby="ledger-title">
    <h2 id="ledger-title">${t('ledger:title')}</h2>
    <p>${t('ledger:intro', { from: monthName(data.from), to: monthName(data.to) })}</p>
    ${
      data.rows.length === 0
        ? html`<p>${t('ledger:empty')}</p>`
        : scrollBox(
            title,
            html`<table id="ledger-table" class="wide">
              ${caption(title)}
              <thead>
                <tr>
                  ${COLUMNS.map((c) => html`<th scope="col">${t(`ledger:columns.${c}`)}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${data.rows.map((row) => {
                  const [month, name, ...rest] = cells(
                    row,
                    (n) => number.format(n),
                    (ms) => hours.format(ms / HOUR_MS),
                  );
                  return html`<tr>
                    <td>${month}</td>
                    <th scope="row">${name}</th>
                    ${rest.map((cell) => html`<td>${typeof cell === 'number' ? number.format(cell) : cell}</td>`)}
                  </tr>`;
                })}
              </tbody>
            </table>`,
          )
    }
    <button
      type="button"
      id="ledger-download"
      ?disabled=${data.rows.length === 0}
      @click=${() => downloadCsv(`volunteer-ledger-${data.from}-${data.to}.csv`, ledgerCsv(data, t))}
    >
      ${t('ledger:download')}
    </button>
  </section>`;
}
