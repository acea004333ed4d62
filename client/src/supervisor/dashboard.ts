// The supervisor's dashboard: one state, one template, rendered again on every change (a new poll,
// a new period, a language change). It polls "now" every 5 s and the period's figures every minute.
import { html, render, type TemplateResult } from 'lit-html';
import { isRequestError } from '../requestError';
import type { Announcer } from '../ui/announcer';
import { t } from '../i18n';
import { callList, type CallListState } from './callList';
import { FIGURE_GROUPS, type FigureGroup, historyView, type HistoryState } from './historyView';
import { nowView, type NowState } from './nowView';
import { type Period, rangeToken } from './range';
import { SECTIONS } from './sections';
import {
  type CallFilters,
  fetchCalls,
  fetchFigures,
  fetchOverview,
  fetchVolunteers,
  NO_FILTERS,
  setVolunteerApproval,
} from './supervisorApi';
import { volunteerApproval, type VolunteersState } from './volunteerApproval';
import type { Volunteer } from './contract';

const POLL_MS = 5000;
const HISTORY_MS = 60_000;

interface SectionState {
  data?: unknown;
  failed: boolean;
}

interface State {
  now: NowState;
  history: HistoryState;
  calls: CallListState;
  volunteers: VolunteersState;
  sections: Record<string, SectionState>;
  openTables: ReadonlySet<string>;
}

export interface Dashboard {
  /** After a language change. */
  rerender: () => void;
  stop: () => void;
}

const signedOutError = (err: unknown) => isRequestError(err, 'unauthenticated', 'forbidden');

/**
 * Starts the dashboard in `root`. `onSignedOut` is called when the server no longer takes this
 * sign-in (the page then shows the sign-in form).
 */
export function startDashboard(root: HTMLElement, announcer: Announcer, onSignedOut: () => void): Dashboard {
  const state: State = {
    now: { overview: null, stale: false },
    history: { range: { period: 'today' }, figures: {}, at: null, loading: false, failed: false },
    calls: { filters: NO_FILTERS, calls: [], next: null, loading: false, failed: false },
    volunteers: { volunteers: null, failed: false, busy: null },
    sections: {},
    openTables: new Set(),
  };
  let running = true;
  let pollTimer: number | undefined;
  let historyTimer: number | undefined;
  let inFlight = false;
  /** Bumped by each approval so a poll that started before it cannot paint the older list afterwards. */
  let volunteersVersion = 0;
  /** Bumped by each new period or filter, so an older answer arriving late is dropped. */
  let historyVersion = 0;
  let callsVersion = 0;

  const view = (): TemplateResult => html`
    ${nowView(state.now)}
    ${historyView(state.history, {
      setPeriod,
      refresh: () => void refreshHistory(true),
      isOpen: (id) => state.openTables.has(id),
      toggle: toggleTable,
    })}
    ${callList(
      state.calls,
      { languages: state.history.figures.language, agents: state.history.figures.agent },
      { filter: setFilters, more: () => void loadCalls(true) },
      timeZone(),
      rangeToken(state.history.range),
    )}
    ${SECTIONS.map(({ id, module }) => {
      const s = state.sections[id];
      return html`<div class="mounted-section" data-section=${id}>
        ${
          s?.data !== undefined
            ? module.view(s.data, t)
            : html`<p class=${s?.failed ? 'error' : 'status'}>
                ${t(s?.failed ? 'figures:loadFailed' : 'figures:loading')}
              </p>`
        }
      </div>`;
    })}
    ${volunteerApproval(state.volunteers, (v, approved) => void setApproval(v, approved))}
  `;

  let scheduled = false;
  function paint(): void {
    if (scheduled || !running) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (running) render(view(), root);
    });
  }

  const timeZone = () =>
    state.history.figures.shift?.timeZone ?? state.history.figures.language?.timeZone ?? undefined;

  function lost(err: unknown): boolean {
    if (!signedOutError(err)) return false;
    stop();
    onSignedOut();
    return true;
  }

  // ── now (every 5 s) ───────────────────────────────────────────────────────────────────────────
  async function poll(): Promise<void> {
    if (inFlight || !running) return;
    window.clearTimeout(pollTimer);
    inFlight = true;
    const version = volunteersVersion;
    const [overview, volunteers] = await Promise.allSettled([fetchOverview(), fetchVolunteers()]).finally(
      () => (inFlight = false),
    );
    if (!running) return;
    for (const r of [overview, volunteers]) if (r.status === 'rejected' && lost(r.reason)) return;
    if (overview.status === 'fulfilled') state.now.overview = overview.value;
    // Not a live region: a failure shows on screen and is announced once, not every 5 s.
    const stale = overview.status === 'rejected';
    if (stale && !state.now.stale) announcer.say(t('supervisor:figures.stale'), true);
    state.now.stale = stale;
    if (volunteers.status === 'fulfilled' && version === volunteersVersion) {
      state.volunteers.volunteers = volunteers.value;
    }
    state.volunteers.failed = volunteers.status === 'rejected';
    paint();
    if (!document.hidden) pollTimer = window.setTimeout(() => void poll(), POLL_MS);
  }

  // ── the period's figures, sections and calls ───────────────────────────────────────────────────
  async function refreshHistory(withCalls: boolean): Promise<void> {
    window.clearTimeout(historyTimer);
    const version = ++historyVersion;
    const range = state.history.range;
    state.history.loading = true;
    paint();
    const sections = SECTIONS.map(async ({ id, module }) => {
      try {
        const data = await module.load(range);
        if (version === historyVersion) state.sections[id] = { data, failed: false };
      } catch (err) {
        if (lost(err)) return;
        if (version === historyVersion) state.sections[id] = { ...state.sections[id], failed: true };
      }
      paint();
    });
    if (withCalls) void loadCalls(false);
    const results = await Promise.allSettled(FIGURE_GROUPS.map((g) => fetchFigures(range, g)));
    await Promise.all(sections);
    if (version !== historyVersion || !running) return;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed && lost(failed.reason)) return;
    const figures: HistoryState['figures'] = {};
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') figures[FIGURE_GROUPS[i] as FigureGroup] = r.value;
    });
    state.history = {
      ...state.history,
      figures: failed ? { ...state.history.figures, ...figures } : figures,
      at: failed ? state.history.at : Date.now(),
      loading: false,
      failed: failed !== undefined,
    };
    paint();
    historyTimer = window.setTimeout(() => void refreshHistory(false), HISTORY_MS);
  }

  function setPeriod(period: Period): void {
    state.history = { ...state.history, range: { period }, figures: {}, at: null };
    state.sections = {};
    void refreshHistory(true);
  }

  async function loadCalls(more: boolean): Promise<void> {
    const version = ++callsVersion;
    const before = more ? state.calls.next : null;
    state.calls = { ...state.calls, loading: true, ...(!more && { calls: [], next: null }) };
    paint();
    try {
      const page = await fetchCalls(state.history.range, state.calls.filters, before);
      if (version !== callsVersion) return;
      state.calls = {
        ...state.calls,
        calls: more ? [...state.calls.calls, ...page.calls] : page.calls,
        next: page.next,
        loading: false,
        failed: false,
      };
      if (more) announcer.say(t('figures:calls.shown', { n: state.calls.calls.length }), true);
    } catch (err) {
      if (lost(err) || version !== callsVersion) return;
      state.calls = { ...state.calls, loading: false, failed: true };
    }
    paint();
  }

  function setFilters(filters: CallFilters): void {
    state.calls = { ...state.calls, filters };
    void loadCalls(false);
  }

  function toggleTable(id: string): void {
    const open = new Set(state.openTables);
    if (!open.delete(id)) open.add(id);
    state.openTables = open;
    paint();
  }

  // ── volunteer approval ─────────────────────────────────────────────────────────────────────────
  async function setApproval(v: Volunteer, approved: boolean): Promise<void> {
    const bodyId = approved ? 'pending-body' : 'others-body';
    const buttons = () => [...root.querySelectorAll<HTMLButtonElement>(`#${bodyId} button[data-action]`)];
    const index = buttons().findIndex((b) => b.dataset['volunteerId'] === v.id);
    volunteersVersion++;
    state.volunteers.busy = v.id;
    paint();
    try {
      await setVolunteerApproval(v.id, approved);
      announcer.say(
        t(approved ? 'supervisor:volunteers.approved' : 'supervisor:volunteers.revoked', {
          name: v.displayName,
        }),
        true,
      );
    } catch (err) {
      // Signed out, disabled or no longer approved: the dashboard is closed either way.
      if (lost(err)) return;
      const message = isRequestError(err, 'not-found')
        ? t('supervisor:volunteers.notFound')
        : err instanceof Error
          ? err.message
          : String(err);
      announcer.say(t('supervisor:volunteers.actionFailed', { name: v.displayName, message }), true);
    }
    try {
      state.volunteers.volunteers = await fetchVolunteers();
      state.volunteers.failed = false;
    } catch {
      state.volunteers.failed = true;
    }
    state.volunteers.busy = null;
    render(view(), root);
    // The row has moved to the other table: focus goes to the next row's button, else to the heading.
    const remaining = buttons();
    const next = remaining[Math.min(index, remaining.length - 1)];
    (next ?? root.querySelector<HTMLElement>('#volunteers-heading'))?.focus();
  }

  // A hidden tab stops asking; it catches up at once when shown again.
  const onVisible = () => {
    if (running && !document.hidden) void poll();
  };
  document.addEventListener('visibilitychange', onVisible);

  function stop(): void {
    running = false;
    window.clearTimeout(pollTimer);
    window.clearTimeout(historyTimer);
    document.removeEventListener('visibilitychange', onVisible);
  }

  render(view(), root);
  void poll();
  void refreshHistory(true);
  return { rerender: () => render(view(), root), stop };
}
