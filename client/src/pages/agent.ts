import type { AgentPresence, AgentServerEvents, OfferView } from '../../../common/protocol';
import { CallController } from '../call/CallController';
import { formatDuration, initI18n, languageName, t, translateDom } from '../i18n';
import { openCameraAndMic } from '../media/MediaClient';
import { Signaling } from '../signaling';
import { Announcer } from '../ui/announcer';
import { byId, showView } from '../ui/dom';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';

interface Account {
  id: string;
  displayName: string;
  role: string;
  languages: string[];
}

await initI18n();
translateDom();
document.title = t('agent.title');

const announcer = new Announcer(byId('announcer'));
let signaling: Signaling<AgentServerEvents> | null = null;
let presence: AgentPresence = 'offline';
let offer: OfferView | null = null;
let countdown: number | undefined;
let account: Account | null = null;

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = t('agent.title');
  renderPresence();
  if (account) byId('signed-in-as').textContent = t('agent.signedInAs', { name: account.displayName });
  if (offer) renderOffer();
});

function showError(err: unknown): void {
  const box = byId('error');
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
}
const clearError = () => (byId('error').hidden = true);

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
  });
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? res.statusText);
  return body;
}

function renderPresence(): void {
  byId('presence').textContent = t(`agent.presence.${presence}`);
  byId<HTMLButtonElement>('go-available').disabled = presence === 'available' || presence === 'offered';
  byId<HTMLButtonElement>('go-away').disabled = presence === 'away' || presence === 'offline';
}

function renderOffer(): void {
  if (!offer) return;
  byId('offer-language').textContent = t('agent.offerLanguage', { language: languageName(offer.language) });
  byId('offer-waited').textContent = t('agent.offerWaited', { duration: formatDuration(offer.waitedMs) });
  const seconds = Math.max(0, Math.ceil((offer.expiresAt - Date.now()) / 1000));
  byId('offer-expires').textContent = t('agent.offerExpires', { seconds });
}

function hideOffer(): void {
  offer = null;
  window.clearInterval(countdown);
  byId('offer').hidden = true;
}

function connect(): void {
  const s = new Signaling<AgentServerEvents>('/agent');
  signaling = s;
  s.socket.on('connect_error', (err) => showError(err.message));
  s.socket.on('agent:presence', (p) => {
    presence = p.presence;
    renderPresence();
    if (p.reason === 'missed-offers') {
      byId('presence-note').textContent = t('agent.awayMissed');
      announcer.say(t('agent.awayMissed'), true);
    }
  });
  s.socket.on('agent:offer', (o) => {
    offer = o;
    renderOffer();
    const box = byId('offer');
    box.hidden = false;
    // A visible, flashing panel and focus on Accept: no information by sound only.
    byId('accept-offer').focus();
    announcer.say(`${t('agent.offerTitle')}: ${byId('offer-language').textContent}`, true);
    window.clearInterval(countdown);
    countdown = window.setInterval(renderOffer, 1000);
  });
  s.socket.on('agent:offer-ended', ({ offerId }) => {
    if (offer?.offerId !== offerId) return;
    hideOffer();
    byId('presence-note').textContent = t('agent.offerEnded');
    announcer.say(t('agent.offerEnded'), true);
  });
}

async function signedIn(a: Account): Promise<void> {
  account = a;
  byId('signed-in-as').textContent = t('agent.signedInAs', { name: a.displayName });
  byId('signed-in-as').hidden = false;
  byId('sign-out').hidden = false;
  connect();
  showView('console');
  renderPresence();
}

byId<HTMLFormElement>('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  clearError();
  const form = new FormData(event.currentTarget as HTMLFormElement);
  api<{ account: Account }>('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
  })
    .then(({ account: a }) => signedIn(a))
    .catch((err: unknown) =>
      showError(t('agent.signInFailed', { message: err instanceof Error ? err.message : String(err) })),
    );
});

byId('sign-out').addEventListener('click', () => {
  void api('/api/auth/logout', { method: 'POST' }).finally(() => location.reload());
});

byId('go-available').addEventListener('click', () => {
  clearError();
  byId('presence-note').textContent = '';
  signaling?.request('agent:set-presence', { presence: 'available' }).catch(showError);
});
byId('go-away').addEventListener('click', () => {
  signaling?.request('agent:set-presence', { presence: 'away' }).catch(showError);
});

byId('decline-offer').addEventListener('click', () => {
  if (!offer || !signaling) return;
  const { offerId } = offer;
  hideOffer();
  signaling.request('agent:decline-offer', { offerId }).catch(showError);
});

byId('accept-offer').addEventListener('click', () => {
  if (!offer || !signaling) return;
  const s = signaling;
  const accepted = offer;
  hideOffer();
  (window as { relayAcceptedAt?: number }).relayAcceptedAt = performance.now();
  void (async () => {
    try {
      const stream = await openCameraAndMic();
      const { token } = await s.request('agent:accept-offer', { offerId: accepted.offerId });
      showView('call');
      byId('call-language').textContent = t('agent.offerLanguage', {
        language: languageName(accepted.language),
      });
      const call = new CallController(s as Signaling<never>, byId('call-root'), announcer, () => {
        for (const track of stream.getTracks()) track.stop();
        showView('wrapup');
      });
      await call.start(token, stream);
    } catch (err) {
      showError(err);
      showView('console');
    }
  })();
});

byId<HTMLFormElement>('wrapup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const note = byId<HTMLTextAreaElement>('wrapup-note').value.trim();
  signaling
    ?.request('agent:wrap-up', {
      resolved: byId<HTMLInputElement>('wrapup-resolved').checked,
      category: byId<HTMLSelectElement>('wrapup-category').value as 'other',
      ...(note && { note }),
    })
    .then(() => {
      byId<HTMLFormElement>('wrapup-form').reset();
      showView('console');
    })
    .catch(showError);
});

showView('signin', false);
api<{ account: Account }>('/api/auth/me')
  .then(({ account: a }) => signedIn(a))
  .catch(() => undefined);
