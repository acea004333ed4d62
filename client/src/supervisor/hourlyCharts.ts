// Volume and service level per hour of arrival: each an SVG chart with a "Show as table" disclosure
// holding the same numbers (keyboard operable: a real button with aria-expanded).
import { html, type TemplateResult } from 'lit-html';
import { t } from '../i18n';
import type { FiguresResponse, GroupFigures } from './contract';
import { barChart } from './barChart';
import { EMPTY_FIGURES } from './figureColumns';
import { figureCell, formatCount, formatHour, formatShare } from './format';
import { caption } from './tables';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** The 24 hours of the day, each with its figures (an hour nobody called in has none). */
function byHour(data: FiguresResponse): GroupFigures[] {
  const out = HOURS.map(() => EMPTY_FIGURES);
  for (const g of data.groups) {
    const hour = Number.parseInt(g.key, 10);
    if (hour >= 0 && hour < 24) out[hour] = g.figures;
  }
  return out;
}

/** Round the axis up to a number a person reads at a glance (1, 2, 5 × 10^k). */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

export interface ChartDisclosure {
  isOpen: (id: string) => boolean;
  toggle: (id: string) => void;
}

function chartFigure(
  id: string,
  title: string,
  chart: TemplateResult,
  table: TemplateResult,
  disclosure: ChartDisclosure,
): TemplateResult {
  const open = disclosure.isOpen(id);
  return html`<figure class="chart-figure">
    <figcaption id="${id}-caption">${title}</figcaption>
    ${chart}
    <button
      type="button"
      class="disclosure"
      id="${id}-toggle"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="${id}-table"
      @click=${() => disclosure.toggle(id)}
    >
      ${t(open ? 'figures:charts.hideTable' : 'figures:charts.showTable')}
    </button>
    <div id="${id}-table" class="chart-table" ?hidden=${!open}>${table}</div>
  </figure>`;
}

function volumeChart(hours: GroupFigures[], disclosure: ChartDisclosure): TemplateResult {
  const id = 'chart-volume';
  const title = t('figures:charts.volumeTitle');
  const total = hours.reduce((s, f) => s + f.calls, 0);
  const busiest = hours.reduce((best, f, h) => (f.calls > hours[best]!.calls ? h : best), 0);
  const summary =
    total === 0
      ? t('figures:noCalls')
      : t('figures:charts.volumeSummary', {
          total: formatCount(total),
          hour: formatHour(busiest),
          count: formatCount(hours[busiest]!.calls),
        });
  const chart = barChart({
    id: `${id}-svg`,
    name: `${title}. ${summary}`,
    bars: hours.map((f, h) => ({ label: formatHour(h), value: f.calls })),
    max: niceMax(Math.max(...hours.map((f) => f.calls))),
    formatValue: formatCount,
  });
  const table = html`<table class="figures">
    ${caption(title)}
    <thead>
      <tr>
        <th scope="col">${t('figures:charts.hour')}</th>
        <th scope="col">${t('figures:columns.calls')}</th>
        <th scope="col">${t('figures:columns.answered')}</th>
        <th scope="col">${t('figures:columns.abandoned')}</th>
      </tr>
    </thead>
    <tbody>
      ${hours.map(
        (f, h) =>
          html`<tr>
            <th scope="row">${formatHour(h)}</th>
            <td class="num">${formatCount(f.calls)}</td>
            <td class="num">${formatCount(f.answered)}</td>
            <td class="num">${formatCount(f.abandoned)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
  return chartFigure(id, title, chart, table, disclosure);
}

function serviceLevelChart(
  hours: GroupFigures[],
  seconds: number,
  disclosure: ChartDisclosure,
): TemplateResult {
  const id = 'chart-service-level';
  const title = t('figures:charts.serviceLevelTitle', { seconds });
  const rates = hours.map((f) => f.serviceLevel[String(seconds)] ?? { value: null, n: 0 });
  const known = rates.flatMap((r, h) => (r.value === null ? [] : [{ h, value: r.value }]));
  const low = known.reduce((a, b) => (b.value < a.value ? b : a), known[0] ?? { h: 0, value: 0 });
  const high = known.reduce((a, b) => (b.value > a.value ? b : a), known[0] ?? { h: 0, value: 0 });
  const summary =
    known.length === 0
      ? t('figures:noCalls')
      : t('figures:charts.serviceLevelSummary', {
          low: formatShare(low.value),
          lowHour: formatHour(low.h),
          high: formatShare(high.value),
          highHour: formatHour(high.h),
        });
  const chart = barChart({
    id: `${id}-svg`,
    name: `${title}. ${summary}`,
    bars: rates.map((r, h) => ({ label: formatHour(h), value: r.value })),
    max: 1,
    formatValue: formatShare,
  });
  const table = html`<table class="figures">
    ${caption(title)}
    <thead>
      <tr>
        <th scope="col">${t('figures:charts.hour')}</th>
        <th scope="col">${t('figures:columns.serviceLevel', { seconds })}</th>
      </tr>
    </thead>
    <tbody>
      ${rates.map(
        (r, h) =>
          html`<tr>
            <th scope="row">${formatHour(h)}</th>
            <td class="num">${figureCell({ kind: 'rate', ...r })}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
  return chartFigure(id, title, chart, table, disclosure);
}

export function hourlyCharts(data: FiguresResponse | undefined, disclosure: ChartDisclosure): TemplateResult {
  const title = t('figures:charts.heading');
  if (!data) {
    return html`<section class="figures-group" aria-labelledby="charts-heading">
      <h3 id="charts-heading">${title}</h3>
      <p class="status">${t('figures:loading')}</p>
    </section>`;
  }
  const hours = byHour(data);
  const seconds = data.thresholds[0] ?? 20;
  return html`<section class="figures-group" aria-labelledby="charts-heading">
    <h3 id="charts-heading">${title}</h3>
    <div class="charts">
      ${volumeChart(hours, disclosure)} ${serviceLevelChart(hours, seconds, disclosure)}
    </div>
  </section>`;
}
