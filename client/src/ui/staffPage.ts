import { formsReady } from './earlySubmit';
import { type Account, currentAccount, signIn, signOut } from '../auth';
import { t, type TranslationKey } from '../i18n';
import type { Announcer } from './announcer';
import { errorText } from './errors';
import { byId } from './dom';

/** The error box every page has (`#error`, role=alert): a failure, said in the page's language. */
export function showError(err: unknown): void {
  showMessage(errorText(err));
}

export function showMessage(text: string): void {
  const box = byId('error');
  box.textContent = text;
  box.hidden = false;
}

export function clearError(): void {
  byId('error').hidden = true;
}

/**
 * Sign-in for a staff page: the form, the header's name and sign-out, and a session already open.
 * Only accounts of `role` get in; anyone else is told the page is not for them.
 */
export async function setUpStaffSignIn(
  role: Account['role'],
  wrongRoleKey: TranslationKey,
  onSignedIn: (account: Account) => void,
): Promise<void> {
  const enter = (account: Account) => {
    const who = byId('signed-in-as');
    who.textContent = t('agent.signedInAs', { name: account.displayName });
    who.hidden = false;
    byId('sign-out').hidden = false;
    onSignedIn(account);
  };
  byId<HTMLFormElement>('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    signIn(String(form.get('username')), String(form.get('password')))
      .then((account) => {
        if (account.role !== role) showMessage(t(wrongRoleKey));
        else enter(account);
      })
      .catch((err: unknown) => showMessage(t('agent.signInFailed', { message: errorText(err) })));
  });
  formsReady();
  byId('sign-out').addEventListener('click', () => {
    void signOut().finally(() => location.reload());
  });
  // Back from a sign-in the server ended (see signedOutByServer): say why, once.
  const url = new URL(location.href);
  if (url.searchParams.has(SIGNED_OUT_PARAM)) {
    showMessage(t('agent.signedOutByServer'));
    url.searchParams.delete(SIGNED_OUT_PARAM);
    history.replaceState(null, '', url);
  }
  const existing = await currentAccount();
  if (existing?.role === role) enter(existing);
}

const SIGNED_OUT_PARAM = 'signed-out';

/**
 * The server ended this sign-in (account disabled, password changed, signed out everywhere): the
 * page reloads, which stops the camera and any call, and the sign-in form says why.
 */
export function signedOutByServer(): void {
  const url = new URL(location.href);
  url.searchParams.set(SIGNED_OUT_PARAM, '1');
  location.replace(url);
}

/**
 * An offer or invitation that needs an answer in time: a flashing panel, a changed tab title and
 * focus on Accept (no information by sound only), announced once, with a countdown shown (not read).
 */
export class IncomingPanel {
  #timer: number | undefined;
  #render: (() => void) | null = null;

  constructor(
    private readonly panel: HTMLElement,
    private readonly accept: HTMLElement,
    private readonly expires: HTMLElement,
    private readonly announcer: Announcer,
    private readonly pageTitle: () => string,
  ) {}

  show(title: string, describe: () => string, expiresAt: number): void {
    this.#render = () => {
      const seconds = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
      this.expires.textContent = t('agent.offerExpires', { seconds });
    };
    this.#render();
    this.panel.hidden = false;
    document.title = `● ${title}`;
    this.accept.focus();
    this.announcer.say(`${title}: ${describe()}`, true);
    window.clearInterval(this.#timer);
    this.#timer = window.setInterval(() => this.#render?.(), 1000);
  }

  /** Re-renders after a language change. */
  refresh(): void {
    this.#render?.();
  }

  hide(): void {
    window.clearInterval(this.#timer);
    this.#render = null;
    this.panel.hidden = true;
    document.title = this.pageTitle();
  }
}
