// A figures table (one row per group, the total last, one column per figure with its n) and its
// CSV twin, built from the same columns and the same response.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { t } from '../i18n';
import type { FiguresResponse, GroupBy } from './contract';
import { type CsvCell, downloadCsv, toCsv } from './csv';
import { csvCells, csvHeader, type FigureColumn } from './figureColumns';
import { figureCell } from './format';
import { groupName } from './groupNames';
import { caption, scrollBox } from './tables';

export interface FiguresTableSpec {
  /** For ids and file names: `shift`, `language`, `agent`. */
  id: string;
  groupBy: GroupBy;
  title: string;
  /** Header of the first column: "Shift", "Language", "Agent". */
  groupHeader: string;
  columns: FigureColumn[];
}

/** The groups in the server's order, then the total. */
function rows(spec: FiguresTableSpec, data: FiguresResponse) {
  return [
    ...data.groups.map((g) => ({ key: g.key, name: groupName(spec.groupBy, g), figures: g.figures })),
    { key: '', name: t('figures:total'), figures: data.total },
  ];
}

export function figuresCsv(spec: FiguresTableSpec, data: FiguresResponse): string {
  const body: CsvCell[][] = rows(spec, data).map((r) => [r.name, ...csvCells(spec.columns, r.figures)]);
  return toCsv([spec.groupHeader, ...csvHeader(spec.columns, t)], body);
}

export function figuresTable(
  spec: FiguresTableSpec,
  data: FiguresResponse | undefined,
  fileToken: string,
): TemplateResult {
  const headingId = `figures-${spec.id}-heading`;
  if (!data) {
    return html`<section class="figures-group" aria-labelledby=${headingId}>
      <h3 id=${headingId}>${spec.title}</h3>
      <p class="status">${t('figures:loading')}</p>
    </section>`;
  }
  const table = html`<table id="figures-${spec.id}" class="figures wide">
    ${caption(spec.title)}
    <thead>
      <tr>
        <th scope="col">${spec.groupHeader}</th>
        ${spec.columns.map((c) => html`<th scope="col">${c.header(t)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        data.groups.length === 0
          ? html`<tr class="empty">
              <td colspan=${spec.columns.length + 1}>${t('figures:noCalls')}</td>
            </tr>`
          : ''
      }
      ${repeat(
        rows(spec, data),
        (r) => r.key,
        (r) =>
          html`<tr class=${r.key === '' ? 'total' : ''}>
            <th scope="row">${r.name}</th>
            ${spec.columns.map(
              (c) =>
                html`<td class="num" data-col=${c.id}>
                  ${figureCell(c.read(r.figures), c.id === 'estimateBias')}
                </td>`,
            )}
          </tr>`,
      )}
    </tbody>
  </table>`;
  return html`<section class="figures-group" aria-labelledby=${headingId}>
    <h3 id=${headingId}>${spec.title}</h3>
    ${scrollBox(spec.title, table)}
    <button
      type="button"
      class="csv"
      data-csv=${spec.id}
      aria-label=${t('figures:csv.downloadNamed', { name: spec.title })}
      @click=${() => downloadCsv(`figures-${spec.id}-${fileToken}.csv`, figuresCsv(spec, data))}
    >
      ${t('figures:csv.download')}
    </button>
  </section>`;
}
