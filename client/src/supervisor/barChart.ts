// A small bar chart as SVG, drawn by lit-html's `svg` templates: 24 hourly bars, a value axis with
// three grid lines, hour ticks every 3 hours. The picture is one image with a text name (role=img);
// the numbers themselves are in the chart's table equivalent.
import { html, svg, type TemplateResult } from 'lit-html';

export interface Bar {
  /** Tick label under the bar (shown every `tickEvery` bars). */
  label: string;
  /** null: no sample, no bar (not a zero). */
  value: number | null;
}

export interface BarChartSpec {
  id: string;
  /** The accessible name: what the chart shows and what it says. */
  name: string;
  bars: readonly Bar[];
  /** Top of the value axis; at least the largest value. */
  max: number;
  formatValue: (v: number) => string;
  tickEvery?: number;
}

const W = 600;
const H = 220;
const M = { top: 12, right: 8, bottom: 30, left: 52 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

export function barChart(spec: BarChartSpec): TemplateResult {
  const { bars, max, formatValue } = spec;
  const step = PLOT_W / Math.max(1, bars.length);
  const y = (v: number) => M.top + PLOT_H - (max > 0 ? (v / max) * PLOT_H : 0);
  const grid = [0, max / 2, max].map(
    (v) =>
      svg`<line class="grid" x1=${M.left} x2=${W - M.right} y1=${y(v)} y2=${y(v)}></line>
        <text class="tick" x=${M.left - 6} y=${y(v) + 4} text-anchor="end">${formatValue(v)}</text>`,
  );
  const every = spec.tickEvery ?? 3;
  const columns = bars.map((b, i) => {
    const x = M.left + i * step;
    const bar =
      b.value === null
        ? svg``
        : svg`<rect class="bar" x=${x + step * 0.15} width=${step * 0.7} y=${y(b.value)}
            height=${Math.max(0, M.top + PLOT_H - y(b.value))}></rect>`;
    const tick =
      i % every === 0
        ? svg`<text class="tick" x=${x + step / 2} y=${H - M.bottom + 18} text-anchor="middle">${b.label}</text>`
        : svg``;
    return svg`${bar}${tick}`;
  });
  return html`<svg
    class="chart"
    id=${spec.id}
    role="img"
    aria-label=${spec.name}
    viewBox="0 0 600 220"
    preserveAspectRatio="xMidYMid meet"
  >
    ${grid}${columns}
    <line class="axis" x1=${M.left} x2=${W - M.right} y1=${M.top + PLOT_H} y2=${M.top + PLOT_H}></line>
  </svg>`;
}
