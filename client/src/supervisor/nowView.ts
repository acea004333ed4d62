// "Now": the queue by language with its longest wait, staff by state, calls in progress. Polled
// every 5 s and re-rendered; lit-html writes only the text that changed, and nothing here is a
// live region, so a screen reader in these tables is not interrupted.
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { i18n, t } from '../i18n';
import type { Overview } from './contract';
import { formatCount, formatDuration } from './format';
import { languageName, shiftName } from './names';
import { caption } from './tables';

const AGENT_PRESENCES = ['available', 'offered', 'in-call', 'wrap-up', 'away', 'offline'] as const;
const VOLUNTEER_PRESENCES = ['available', 'invited', 'in-call', 'away', 'offline'] as const;

export interface NowState {
  overview: Overview | null;
  /** The last poll failed: what is shown may be out of date. */
  stale: boolean;
}

const row = (name: string, value: string) =>
  html`<tr>
    <th scope="row">${name}</th>
    <td class="num">${value}</td>
  </tr>`;

function summaryTable(o: Overview | null): TemplateResult {
  const n = (x: number | undefined) => (o && x !== undefined ? formatCount(x) : '');
  return html`<table id="summary-table" class="figures">
    ${caption(t('supervisor:figures.summaryCaption'))}
    <thead>
      <tr>
        <th scope="col">${t('supervisor:figures.measure')}</th>
        <th scope="col">${t('supervisor:figures.now')}</th>
      </tr>
    </thead>
    <tbody>
      <tr>
        <th scope="row">${t('supervisor:figures.callersWaiting')}</th>
        <td id="fig-callers-waiting" class="num">${n(o?.callersWaiting)}</td>
      </tr>
      <tr>
        <th scope="row">${t('supervisor:figures.offersPending')}</th>
        <td id="fig-offers-pending" class="num">${n(o?.offersPending)}</td>
      </tr>
      <tr>
        <th scope="row">${t('supervisor:figures.callsInProgress')}</th>
        <td id="fig-calls-in-progress" class="num">${n(o?.activeMatches)}</td>
      </tr>
      <tr>
        <th scope="row">${t('supervisor:figures.awaitingInterpreter')}</th>
        <td id="fig-awaiting-interpreter" class="num">${n(o?.matchesAwaitingInterpreter)}</td>
      </tr>
      <tr>
        <th scope="row">${t('supervisor:figures.volunteersOnline')}</th>
        <td id="fig-volunteers-online" class="num">${n(o?.volunteersOnline)}</td>
      </tr>
      <tr>
        <th scope="row">${t('supervisor:figures.shift')}</th>
        <td id="fig-shift">${o ? shiftName(o.shift) : ''}</td>
      </tr>
    </tbody>
  </table>`;
}

/** Longest wait first: that is the line that needs someone. */
function languagesTable(o: Overview | null): TemplateResult {
  const languages = Object.entries(o?.callersByLanguage ?? {})
    .map(([tag, c]) => ({ tag, name: languageName(tag), longest: o?.longestWaitMsByLanguage?.[tag], ...c }))
    .sort(
      (a, b) =>
        (b.longest ?? 0) - (a.longest ?? 0) ||
        b.waiting - a.waiting ||
        a.name.localeCompare(b.name, i18n.language),
    );
  return html`<table id="languages-table" class="figures">
    ${caption(t('supervisor:figures.languagesCaption'))}
    <thead>
      <tr>
        <th scope="col">${t('supervisor:figures.language')}</th>
        <th scope="col">${t('supervisor:figures.waiting')}</th>
        <th scope="col">${t('figures:now.longestWait')}</th>
        <th scope="col">${t('supervisor:figures.text')}</th>
        <th scope="col">${t('supervisor:figures.callback')}</th>
      </tr>
    </thead>
    <tbody id="languages-body">
      ${
        languages.length === 0
          ? html`<tr class="empty">
              <td colspan="5">${t('supervisor:figures.noneWaiting')}</td>
            </tr>`
          : repeat(
              languages,
              (l) => l.tag,
              (l) =>
                html`<tr>
                  <th scope="row">${l.name}</th>
                  <td class="num">${formatCount(l.waiting)}</td>
                  <td class="num">${l.longest === undefined ? '—' : formatDuration(l.longest)}</td>
                  <td class="num">${formatCount(l.text)}</td>
                  <td class="num">${formatCount(l.callback)}</td>
                </tr>`,
            )
      }
    </tbody>
  </table>`;
}

function presenceTable<P extends string>(
  id: string,
  title: string,
  column: string,
  presences: readonly P[],
  /** Each state's name: a function over the known states, so tsc checks every key. */
  presenceName: (presence: P) => string,
  counts: Record<string, number> | undefined,
): TemplateResult {
  return html`<table id="${id}-table" class="figures">
    ${caption(title)}
    <thead>
      <tr>
        <th scope="col">${t('supervisor:figures.status')}</th>
        <th scope="col">${column}</th>
      </tr>
    </thead>
    <tbody id="${id}-body">
      ${presences.map((p) => row(presenceName(p), counts ? formatCount(counts[p] ?? 0) : ''))}
    </tbody>
  </table>`;
}

export function nowView({ overview: o, stale }: NowState): TemplateResult {
  const time = o ? new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(o.at) : '';
  return html`<section aria-labelledby="figures-heading">
    <h2 id="figures-heading">${t('supervisor:figures.heading')}</h2>
    <p id="figures-updated" class="status">${o ? t('supervisor:figures.updatedAt', { time }) : ''}</p>
    <p id="figures-stale" class="error" ?hidden=${!stale}>${t('supervisor:figures.stale')}</p>
    <div class="figure-tables">
      ${summaryTable(o)} ${languagesTable(o)}
      ${presenceTable(
        'agents',
        t('supervisor:figures.agentsCaption'),
        t('supervisor:figures.agents'),
        AGENT_PRESENCES,
        (p) => t(`supervisor:figures.agentPresence.${p}`),
        o?.agentsByPresence,
      )}
      ${presenceTable(
        'volunteer-states',
        t('supervisor:figures.volunteersCaption'),
        t('supervisor:figures.volunteers'),
        VOLUNTEER_PRESENCES,
        (p) => t(`supervisor:figures.volunteerPresence.${p}`),
        o?.volunteersByPresence,
      )}
    </div>
  </section>`;
}
