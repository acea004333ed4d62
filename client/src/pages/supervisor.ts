// The supervisor's page: sign-in, then the dashboard (client/src/supervisor/dashboard.ts), which
// renders everything else from state with lit-html.
import { type Account, currentAccount, signIn, signOut } from '../auth';
import { i18n, initI18n, t, translateDom, type Resources } from '../i18n';
import { isRequestError } from '../requestError';
import { type Dashboard, startDashboard } from '../supervisor/dashboard';
import { Announcer } from '../ui/announcer';
import { formsReady } from '../ui/earlySubmit';
import { byId, showView } from '../ui/dom';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';

await initI18n();
translateDom();
document.title = t('supervisor:title');

// Approvals are the supervisor's own actions: each result is announced, none is throttled away.
const announcer = new Announcer(byId('announcer'), 0);
let account: Account | null = null;
let dashboard: Dashboard | null = null;
/** The error on screen, as a function so a change of language re-renders it. */
let currentError: (() => string) | null = null;

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = t('supervisor:title');
  if (currentError) byId('error').textContent = currentError();
  renderWho();
  dashboard?.rerender();
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

const roleName = (role: string) =>
  i18n.exists(`supervisor:roles.${role}`)
    ? t(`supervisor:roles.${role as keyof Resources['supervisor']['roles']}`)
    : role;

function renderWho(): void {
  const who = byId('signed-in-as');
  if (account) who.textContent = t('supervisor:signedInAs', { name: account.displayName });
  who.hidden = !account;
  byId('sign-out').hidden = !account;
  const a = account;
  if (a && a.role !== 'supervisor') {
    showError(() => t('supervisor:notSupervisor', { name: a.displayName, role: roleName(a.role) }));
  }
}

function signedIn(a: Account): void {
  account = a;
  renderWho();
  if (a.role !== 'supervisor') {
    showView('signin', false);
    return;
  }
  clearError();
  dashboard = startDashboard(byId('dashboard'), announcer, signedOut);
  showView('dashboard');
}

function signedOut(): void {
  dashboard?.stop();
  dashboard = null;
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
  const data = new FormData(event.currentTarget as HTMLFormElement);
  signIn(String(data.get('username')), String(data.get('password')))
    .then((a) => {
      byId<HTMLInputElement>('password').value = '';
      signedIn(a);
    })
    .catch((err: unknown) => showError(() => t('supervisor:signIn.failed', { reason: signInFailure(err) })));
});
formsReady();

byId('sign-out').addEventListener('click', () => {
  dashboard?.stop();
  void signOut().finally(() => location.reload());
});

showView('signin', false);
void currentAccount().then((a) => a && signedIn(a));
