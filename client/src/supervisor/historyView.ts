// "Today / last 7 days": the period picker, then the figures by shift and by language, the hourly
// charts and the per-agent table, all for the chosen period.
import { html, type TemplateResult } from 'lit-html';
import { i18n, t } from '../i18n';
import type { FiguresResponse } from './contract';
import { agentColumns, figureColumns } from './figureColumns';
import { figuresTable } from './figuresTable';
import { type ChartDisclosure, hourlyCharts } from './hourlyCharts';
import { type Period, PERIODS, type Range, rangeToken } from './range';

/** The groupings the page asks the figures route for. */
export const FIGURE_GROUPS = ['shift', 'language', 'hour', 'agent'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export interface HistoryState {
  range: Range;
  figures: Partial<Record<FigureGroup, FiguresResponse>>;
  /** When the figures on screen were fetched. */
  at: number | null;
  loading: boolean;
  failed: boolean;
}

export interface HistoryActions extends ChartDisclosure {
  setPeriod: (period: Period) => void;
  refresh: () => void;
}

function periodPicker(range: Range, actions: HistoryActions): TemplateResult {
  const current = 'period' in range ? range.period : null;
  return html`<fieldset class="period">
    <legend>${t('figures:period.legend')}</legend>
    ${PERIODS.map(
      (p) =>
        html`<label class="choice"
          ><input
            type="radio"
            name="period"
            value=${p}
            .checked=${p === current}
            @change=${() => actions.setPeriod(p)}
          />
          ${t(`figures:period.${p}`)}</label
        >`,
    )}
  </fieldset>`;
}

export function historyView(state: HistoryState, actions: HistoryActions): TemplateResult {
  const thresholds = state.figures.shift?.thresholds ?? state.figures.language?.thresholds ?? [20, 120];
  const columns = figureColumns(thresholds);
  const token = rangeToken(state.range);
  const time = state.at
    ? new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(state.at)
    : '';
  return html`<section aria-labelledby="history-heading">
    <h2 id="history-heading">${t('figures:heading')}</h2>
    <div class="history-controls">
      ${periodPicker(state.range, actions)}
      <button type="button" id="figures-refresh" ?disabled=${state.loading} @click=${actions.refresh}>
        ${t('figures:refresh')}
      </button>
    </div>
    <p id="history-updated" class="status">
      ${state.loading ? t('figures:loading') : state.at ? t('figures:updatedAt', { time }) : ''}
    </p>
    <p class="error" ?hidden=${!state.failed}>${t('figures:loadFailed')}</p>
    ${figuresTable(
      {
        id: 'shift',
        groupBy: 'shift',
        title: t('figures:byShift'),
        groupHeader: t('figures:groups.shift'),
        columns,
      },
      state.figures.shift,
      token,
    )}
    ${figuresTable(
      {
        id: 'language',
        groupBy: 'language',
        title: t('figures:byLanguage'),
        groupHeader: t('figures:groups.language'),
        columns,
      },
      state.figures.language,
      token,
    )}
    ${hourlyCharts(state.figures.hour, actions)}
    ${figuresTable(
      {
        id: 'agent',
        groupBy: 'agent',
        title: t('figures:byAgent'),
        groupHeader: t('figures:groups.agent'),
        columns: agentColumns(),
      },
      state.figures.agent,
      token,
    )}
  </section>`;
}
