import { api } from '../api';
import { type Account, currentAccount, signIn, signOut } from '../auth';
import { i18n, initI18n, languageName, t, translateDom } from '../i18n';
import { isRequestError } from '../requestError';
import { Announcer } from '../ui/announcer';
import { byId, h, showView } from '../ui/dom';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';

/** The parts of `GET /api/supervisor/overview` this page shows (the server's `SupervisorOverview`). */
interface Overview {
  at: number;
  shift: string | null;
  callersWaiting: number;
  callersByLanguage: Record<string, { waiting: number; text: number; callback: number }>;
  offersPending: number;
  agentsByPresence: Record<string, number>;
  volunteersByPresence: Record<string, number>;
  volunteersOnline: number;
  activeMatches: number;
  matchesAwaitingInterpreter: number;
}

interface Volunteer {
  id: string;
  username: string;
  displayName: string;
  languages: string[];
  approved: boolean;
  disabled: boolean;
  createdAt: number;
}

const POLL_MS = 5000;
const AGENT_PRESENCES = ['available', 'offered', 'in-call', 'wrap-up', 'away', 'offline'] as const;
const VOLUNTEER_PRESENCES = ['available', 'invited', 'in-call', 'away', 'offline'] as const;

await initI18n();
translateDom();
document.title = t('supervisor:title');

// Approvals are the supervisor's own actions: each result is announced, none is throttled away.
const announcer = new Announcer(byId('announcer'), 0);
let account: Account | null = null;
let overview: Overview | null = null;
let volunteers: Volunteer[] | null = null;
let pollTimer: number | undefined;
let polling = false;
let inFlight = false;
let stale = false;
/** Bumped by each approval so a poll that started before it cannot paint the older list afterwards. */
let volunteersVersion = 0;
/** The error on screen, as a function so a change of language re-renders it. */
let currentError: (() => string) | null = null;

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = t('supervisor:title');
  if (currentError) byId('error').textContent = currentError();
  renderWho();
  renderOverview();
  renderVolunteers(true);
});

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function showError(message: () => string): void {
  currentError = message;
  const box = byId('error');
  box.textContent = message();
  box.hidden = false;
}
function clearError(): void {
  currentError = null;
  byId('error').hidden = true;
}

/** Writes text only when it changed, so assistive technology reading a table is not disturbed. */
function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

const formatNumber = (n: number) => new Intl.NumberFormat(i18n.language).format(n);

function renderWho(): void {
  const who = byId('signed-in-as');
  if (account) who.textContent = t('supervisor:signedInAs', { name: account.displayName });
  who.hidden = !account;
  byId('sign-out').hidden = !account;
  if (account && account.role !== 'supervisor') showNotSupervisor(account);
}

const roleName = (role: string) =>
  i18n.exists(`supervisor:roles.${role}`) ? t(`supervisor:roles.${role}`) : role;

function showNotSupervisor(a: Account): void {
  showError(() => t('supervisor:notSupervisor', { name: a.displayName, role: roleName(a.role) }));
}

// ── figures ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Makes a tbody hold exactly these rows (first cell a row header), reusing rows and cells so a
 * refresh changes only the text that changed.
 */
function fillRows(body: HTMLTableSectionElement, rows: string[][], empty: string, columns: number): void {
  if (rows.length === 0) {
    const only = body.rows[0];
    if (body.rows.length !== 1 || !only?.classList.contains('empty')) {
      body.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: String(columns) }, empty)));
    } else {
      setText(only.cells[0]!, empty);
    }
    return;
  }
  if (body.rows[0]?.classList.contains('empty')) body.replaceChildren();
  while (body.rows.length > rows.length) body.deleteRow(-1);
  rows.forEach((cells, i) => {
    let row = body.rows[i];
    if (!row) {
      row = h('tr', {}, h('th', { scope: 'row' }), ...cells.slice(1).map(() => h('td', { class: 'num' })));
      body.append(row);
    }
    cells.forEach((text, j) => setText(row.cells[j]!, text));
  });
}

/** The default shifts have translated names; a centre's own shift names are shown as configured. */
function shiftName(shift: string | null): string {
  if (shift === null) return t('supervisor:figures.noShift');
  const key = `supervisor:figures.shifts.${shift}`;
  return i18n.exists(key) ? t(key) : shift;
}

function renderOverview(): void {
  if (!overview) return;
  const o = overview;
  setText(byId('fig-callers-waiting'), formatNumber(o.callersWaiting));
  setText(byId('fig-offers-pending'), formatNumber(o.offersPending));
  setText(byId('fig-calls-in-progress'), formatNumber(o.activeMatches));
  setText(byId('fig-awaiting-interpreter'), formatNumber(o.matchesAwaitingInterpreter));
  setText(byId('fig-volunteers-online'), formatNumber(o.volunteersOnline));
  setText(byId('fig-shift'), shiftName(o.shift));

  const languages = Object.entries(o.callersByLanguage)
    .map(([tag, c]) => ({ name: languageName(tag), ...c }))
    .sort((a, b) => b.waiting - a.waiting || a.name.localeCompare(b.name, i18n.language));
  fillRows(
    byId<HTMLTableSectionElement>('languages-body'),
    languages.map((l) => [l.name, formatNumber(l.waiting), formatNumber(l.text), formatNumber(l.callback)]),
    t('supervisor:figures.noneWaiting'),
    4,
  );
  fillRows(
    byId<HTMLTableSectionElement>('agents-body'),
    AGENT_PRESENCES.map((p) => [
      t(`supervisor:figures.agentPresence.${p}`),
      formatNumber(o.agentsByPresence[p] ?? 0),
    ]),
    '',
    2,
  );
  fillRows(
    byId<HTMLTableSectionElement>('volunteer-states-body'),
    VOLUNTEER_PRESENCES.map((p) => [
      t(`supervisor:figures.volunteerPresence.${p}`),
      formatNumber(o.volunteersByPresence[p] ?? 0),
    ]),
    '',
    2,
  );
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(o.at);
  setText(byId('figures-updated'), t('supervisor:figures.updatedAt', { time }));
}

// ── volunteers ───────────────────────────────────────────────────────────────────────────────────

let renderedVolunteers = '';

const isPending = (v: Volunteer) => !v.approved && !v.disabled;

function languagesOf(v: Volunteer): string {
  return new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' }).format(
    v.languages.map(languageName),
  );
}

function nameCell(v: Volunteer): HTMLTableCellElement {
  return h(
    'th',
    { scope: 'row' },
    h('span', { class: 'name' }, v.displayName),
    ' ',
    h('span', { class: 'username' }, `(${v.username})`),
  );
}

function actionButton(v: Volunteer, approve: boolean): HTMLButtonElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: approve ? 'primary' : false,
      'data-volunteer-id': v.id,
      'data-action': approve ? 'approve' : 'revoke',
      // The visible word starts the accessible name (WCAG 2.5.3), the name tells rows apart.
      'aria-label': t(approve ? 'supervisor:volunteers.approveNamed' : 'supervisor:volunteers.revokeNamed', {
        name: v.displayName,
      }),
    },
    t(approve ? 'supervisor:volunteers.approve' : 'supervisor:volunteers.revoke'),
  );
  button.addEventListener('click', () => void setApproval(v, approve, button));
  return button;
}

/** Rebuilds the two volunteer tables when the list (or the language) changed, keeping keyboard focus. */
function renderVolunteers(force = false): void {
  if (!volunteers) return;
  const key = JSON.stringify(volunteers);
  if (!force && key === renderedVolunteers) return;
  renderedVolunteers = key;

  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const focusedId = focused?.dataset['volunteerId'];
  const focusedAction = focused?.dataset['action'];

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const pending = volunteers.filter(isPending);
  const others = volunteers.filter((v) => !isPending(v));
  const pendingBody = byId<HTMLTableSectionElement>('pending-body');
  const othersBody = byId<HTMLTableSectionElement>('others-body');
  pendingBody.replaceChildren(
    ...(pending.length
      ? pending.map((v) =>
          h(
            'tr',
            {},
            nameCell(v),
            h('td', {}, languagesOf(v)),
            h('td', {}, date.format(v.createdAt)),
            h('td', {}, actionButton(v, true)),
          ),
        )
      : [h('tr', { class: 'empty' }, h('td', { colspan: '4' }, t('supervisor:volunteers.noPending')))]),
  );
  othersBody.replaceChildren(
    ...(others.length
      ? others.map((v) =>
          h(
            'tr',
            {},
            nameCell(v),
            h('td', {}, languagesOf(v)),
            h('td', {}, t(`supervisor:volunteers.state.${v.disabled ? 'disabled' : 'approved'}`)),
            h('td', {}, v.disabled ? t('supervisor:volunteers.noAction') : actionButton(v, false)),
          ),
        )
      : [h('tr', { class: 'empty' }, h('td', { colspan: '4' }, t('supervisor:volunteers.noOthers')))]),
  );

  if (focusedId && focusedAction) {
    document
      .querySelector<HTMLElement>(
        `[data-volunteer-id="${CSS.escape(focusedId)}"][data-action="${focusedAction}"]`,
      )
      ?.focus();
  }
}

async function loadVolunteers(): Promise<void> {
  ({ volunteers } = await api<{ volunteers: Volunteer[] }>('/api/supervisor/volunteers'));
  byId('volunteers-failed').hidden = true;
  renderVolunteers();
}

async function setApproval(v: Volunteer, approved: boolean, button: HTMLButtonElement): Promise<void> {
  const bodyId = approved ? 'pending-body' : 'others-body';
  const buttons = [...byId(bodyId).querySelectorAll<HTMLButtonElement>('button[data-action]')];
  const index = buttons.indexOf(button);
  button.disabled = true;
  volunteersVersion++;
  try {
    await api(`/api/supervisor/volunteers/${encodeURIComponent(v.id)}/approval`, {
      method: 'POST',
      body: JSON.stringify({ approved }),
    });
    announcer.say(
      t(approved ? 'supervisor:volunteers.approved' : 'supervisor:volunteers.revoked', {
        name: v.displayName,
      }),
      true,
    );
  } catch (err) {
    // Signed out, disabled or no longer approved: the dashboard is closed either way.
    if (isRequestError(err, 'unauthenticated', 'forbidden')) return signedOut();
    const message = isRequestError(err, 'not-found') ? t('supervisor:volunteers.notFound') : messageOf(err);
    announcer.say(t('supervisor:volunteers.actionFailed', { name: v.displayName, message }), true);
  }
  try {
    await loadVolunteers();
  } catch {
    byId('volunteers-failed').hidden = false;
  }
  // The row has moved to the other table: focus goes to the next row's button, else to the heading.
  const remaining = [...byId(bodyId).querySelectorAll<HTMLButtonElement>('button[data-action]')];
  const next = remaining[Math.min(index, remaining.length - 1)];
  if (next) {
    next.focus();
  } else {
    const heading = byId('volunteers-heading');
    heading.tabIndex = -1;
    heading.focus();
  }
}

// ── polling ──────────────────────────────────────────────────────────────────────────────────────

async function poll(): Promise<void> {
  if (inFlight) return;
  window.clearTimeout(pollTimer);
  inFlight = true;
  const version = volunteersVersion;
  const [figures, list] = await Promise.allSettled([
    api<Overview>('/api/supervisor/overview'),
    api<{ volunteers: Volunteer[] }>('/api/supervisor/volunteers'),
  ]).finally(() => (inFlight = false));
  if (!polling) return;
  for (const r of [figures, list]) {
    if (r.status === 'rejected' && isRequestError(r.reason, 'unauthenticated', 'forbidden')) {
      return signedOut();
    }
  }
  if (figures.status === 'fulfilled') {
    overview = figures.value;
    renderOverview();
  }
  // Not a live region: a failure shows on screen and is announced once, not every 5 s.
  const nowStale = figures.status === 'rejected';
  byId('figures-stale').hidden = !nowStale;
  if (nowStale && !stale) announcer.say(t('supervisor:figures.stale'), true);
  stale = nowStale;
  if (list.status === 'fulfilled' && version === volunteersVersion) {
    volunteers = list.value.volunteers;
    renderVolunteers();
  }
  byId('volunteers-failed').hidden = list.status === 'fulfilled';
  if (!document.hidden) pollTimer = window.setTimeout(() => void poll(), POLL_MS);
}

function startPolling(): void {
  polling = true;
  void poll();
}

function stopPolling(): void {
  polling = false;
  window.clearTimeout(pollTimer);
}

// A hidden tab stops asking; it catches up at once when shown again.
document.addEventListener('visibilitychange', () => {
  if (polling && !document.hidden) void poll();
});

// ── signing in and out ───────────────────────────────────────────────────────────────────────────

function signedIn(a: Account): void {
  account = a;
  renderWho();
  if (a.role !== 'supervisor') {
    showView('signin', false);
    return;
  }
  clearError();
  showView('dashboard');
  startPolling();
}

function signedOut(): void {
  stopPolling();
  account = null;
  renderWho();
  showView('signin');
  showError(() => t('supervisor:sessionEnded'));
}

function signInFailure(err: unknown): string {
  if (isRequestError(err, 'unauthenticated')) return t('supervisor:signIn.wrongPassword');
  if (isRequestError(err, 'awaiting-approval', 'forbidden')) return t('supervisor:signIn.notApproved');
  if (isRequestError(err, 'rate-limited')) return t('supervisor:signIn.rateLimited');
  return t('supervisor:signIn.unknownError', { message: messageOf(err) });
}

byId<HTMLFormElement>('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  clearError();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  signIn(String(data.get('username')), String(data.get('password')))
    .then((a) => {
      byId<HTMLInputElement>('password').value = '';
      signedIn(a);
    })
    .catch((err: unknown) => showError(() => t('supervisor:signIn.failed', { reason: signInFailure(err) })));
});

byId('sign-out').addEventListener('click', () => {
  stopPolling();
  void signOut().finally(() => location.reload());
});

showView('signin', false);
void currentAccount().then((a) => a && signedIn(a));
