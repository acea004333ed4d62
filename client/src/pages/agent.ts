import { AWAY_REASONS, type AwayReason, isChosenAwayReason } from '../../../common/presence';
import type { AgentPresence, AgentServerEvents, OfferView } from '../../../common/protocol';
import { CallController } from '../call/CallController';
import { formatDuration, initI18n, languageName, t, translateDom } from '../i18n';
import { PreloadedDevice } from '../media/PreloadedDevice';
import { RingingCamera } from '../media/RingingCamera';
import { Signaling } from '../signaling';
import { mark } from '../timeline';
import { Announcer } from '../ui/announcer';
import { byId, h, showView } from '../ui/dom';
import { render } from 'lit-html';
import { type WrapUp, wrapUpForm, type WrapUpState } from '../agent/wrapUpForm';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';
import { clearError, IncomingPanel, setUpStaffSignIn, showError, signedOutByServer } from '../ui/staffPage';

await initI18n();
translateDom();
const pageTitle = () => t('agent.title');
document.title = pageTitle();

const announcer = new Announcer(byId('announcer'));
const incoming = new IncomingPanel(
  byId('offer'),
  byId('accept-offer'),
  byId('offer-expires'),
  announcer,
  pageTitle,
);
let signaling: Signaling<AgentServerEvents> | null = null;
let presence: AgentPresence = 'offline';
/** Why the agent is away, as the lobby told it (null when not away). */
let awayReason: AwayReason | null = null;
let offer: OfferView | null = null;
const camera = new RingingCamera();
/** Loaded while a video offer rings, so the accept need not wait for it. */
let device: PreloadedDevice | null = null;

const wrapUp: WrapUpState = { busy: false };

function sendWrapUp(choice: WrapUp): Promise<void> {
  if (!signaling) return Promise.reject(new Error('not connected'));
  wrapUp.busy = true;
  renderWrapUp();
  return signaling
    .request('agent:wrap-up', choice)
    .then(() => showAgentView('console'))
    .catch((err: unknown) => {
      showError(err);
      throw err;
    })
    .finally(() => {
      wrapUp.busy = false;
      renderWrapUp();
    });
}

function renderWrapUp(): void {
  render(wrapUpForm(wrapUp, sendWrapUp), byId('wrapup-root'));
}

/**
 * A page view, with sign-out only where it cannot cut a call short or leave a wrap-up owed (the
 * header's button would end the call with the page).
 */
function showAgentView(name: 'console' | 'call' | 'wrapup'): void {
  showView(name);
  byId('sign-out').hidden = name !== 'console';
}

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = pageTitle();
  renderPresence();
  renderWrapUp();
  if (offer) renderOffer(offer);
  incoming.refresh();
});

function renderPresence(): void {
  byId('presence').textContent =
    presence === 'away' && awayReason !== null
      ? t('presence:picker.awayFor', { reason: t(`presence:reasons.${awayReason}`) })
      : t(`agent.presence.${presence}`);
  byId<HTMLButtonElement>('go-available').disabled = presence === 'available' || presence === 'offered';
  renderReasonPicker();
}

/** The reasons to go away, in the UI language; away already, the picker changes the reason. */
function renderReasonPicker(): void {
  const select = byId<HTMLSelectElement>('away-reason');
  const chosen = select.value;
  select.replaceChildren(
    h('option', { value: '' }, t('presence:picker.choose')),
    ...AWAY_REASONS.map((r) => h('option', { value: r }, t(`presence:reasons.${r}`))),
  );
  select.value = chosen;
  select.disabled = presence === 'offline';
  byId<HTMLButtonElement>('go-away').disabled =
    presence === 'offline' || (presence === 'away' && chosen === awayReason);
}

function renderOffer(o: OfferView): string {
  byId('offer-language').textContent = t('agent.offerLanguage', { language: languageName(o.language) });
  byId('offer-details').textContent = [
    o.mode === 'text' ? t('agent.offerText') : '',
    o.needsInterpreter ? t('agent.offerInterpreter') : '',
    o.callback ? t('agent.offerCallback') : '',
  ]
    .filter(Boolean)
    .join(' ');
  byId('offer-waited').textContent = t('agent.offerWaited', { duration: formatDuration(o.waitedMs) });
  return byId('offer-language').textContent ?? '';
}

function connect(): void {
  const s = new Signaling<AgentServerEvents>('/agent');
  signaling = s;
  s.socket.on('connect_error', showError);
  s.socket.on('auth:signed-out', signedOutByServer);
  s.socket.on('agent:presence', (p) => {
    presence = p.presence;
    awayReason = p.presence === 'away' ? (p.reason ?? null) : null;
    renderPresence();
    // Signed in again (another tab, a reload) while a wrap-up is owed: show its form. Wrapped up
    // in another tab meanwhile: this one's form is done with too.
    const inCall = !document.querySelector<HTMLElement>('[data-view="call"]')?.hidden;
    const wrappingUp = !document.querySelector<HTMLElement>('[data-view="wrapup"]')?.hidden;
    if (p.presence === 'wrap-up' && !inCall) showAgentView('wrapup');
    else if (p.presence !== 'wrap-up' && wrappingUp && !wrapUp.busy) showAgentView('console');
    if (p.reason === 'missed-offers') {
      byId('presence-note').textContent = t('agent.awayMissed');
      announcer.say(t('agent.awayMissed'), true);
    }
  });
  s.socket.on('agent:offer', (o) => {
    offer = o;
    if (o.mode === 'video') camera.prepare();
    device = o.routerRtpCapabilities ? new PreloadedDevice(o.routerRtpCapabilities) : null;
    incoming.show(t('agent.offerTitle'), () => renderOffer(o), o.expiresAt);
  });
  s.socket.on('agent:offer-ended', ({ offerId }) => {
    if (offer?.offerId !== offerId) return;
    offer = null;
    device = null;
    camera.release();
    incoming.hide();
    byId('presence-note').textContent = t('agent.offerEnded');
    announcer.say(t('agent.offerEnded'), true);
  });
}

byId('go-available').addEventListener('click', () => {
  clearError();
  byId('presence-note').textContent = '';
  signaling?.request('agent:set-presence', { presence: 'available' }).catch(showError);
});
byId('away-reason').addEventListener('change', renderReasonPicker);
byId<HTMLFormElement>('away-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = byId<HTMLSelectElement>('away-reason').value;
  // The select is required: the browser asks for a reason before this runs.
  if (!isChosenAwayReason(reason)) return;
  clearError();
  byId('presence-note').textContent = '';
  signaling?.request('agent:set-presence', { presence: 'away', reason }).catch(showError);
});

byId('decline-offer').addEventListener('click', () => {
  if (!offer || !signaling) return;
  const { offerId } = offer;
  offer = null;
  device = null;
  camera.release();
  incoming.hide();
  signaling.request('agent:decline-offer', { offerId }).catch(showError);
});

byId('accept-offer').addEventListener('click', () => {
  if (!offer || !signaling) return;
  const s = signaling;
  const accepted = offer;
  offer = null;
  incoming.hide();
  void (async () => {
    // Set once the call has ended and chosen the next view: a request of its set-up failing after
    // that (the session is gone) must not take the agent away from the wrap-up form.
    let ended = false;
    try {
      // The accept goes at once; the camera (open since the ring began, or opening again) meanwhile.
      const accepting = s.request('agent:accept-offer', { offerId: accepted.offerId });
      const taking = accepted.mode === 'video' ? camera.take() : Promise.resolve(null);
      const [{ token }, stream] = await Promise.all([accepting, taking]).catch((err: unknown) => {
        // Whichever failed, the camera must not stay on for a call that is not happening.
        void taking
          .then((opened) => opened?.getTracks().forEach((track) => track.stop()))
          .catch(() => undefined);
        throw err;
      });
      mark('camera taken');
      const call = new CallController(s, byId('call-root'), announcer, (reason) => {
        ended = true;
        for (const track of stream?.getTracks() ?? []) track.stop();
        // A call the caller never came to (a no-show, or one the service cut first) leaves nothing
        // to wrap up: back to the console. The lobby's presence has the last word either way.
        if (presence === 'wrap-up' || (reason !== 'caller-no-show' && call.callerCame)) {
          return showAgentView('wrapup');
        }
        if (reason === 'caller-no-show') byId('presence-note').textContent = t('call.endedBy.caller-no-show');
        showAgentView('console');
      });
      const preloaded = device;
      device = null;
      // The join goes first: the screen changes while it is answered.
      const starting = call.start(token, stream, preloaded);
      mountInterpreterControls(call, s, accepted.language);
      showAgentView('call');
      byId('call-language').textContent = t('agent.offerLanguage', {
        language: languageName(accepted.language),
      });
      await starting;
    } catch (err) {
      if (ended) return;
      // A caller who hangs up while this screen is still joining leaves the agent in wrap-up (the
      // lobby's word, told while the call view was up): the form is owed, not an error.
      if (presence === 'wrap-up') return showAgentView('wrapup');
      showError(err);
      showAgentView('console');
    }
  })();
});

/** The agent brings in, removes or replaces the interpreter of the call. */
function mountInterpreterControls(
  call: CallController,
  s: Signaling<AgentServerEvents>,
  language: string,
): void {
  const request = h('button', { type: 'button', id: 'request-interpreter' }, t('agent.interpreter.request'));
  const replace = h(
    'button',
    { type: 'button', id: 'replace-interpreter', hidden: true },
    t('agent.interpreter.replace'),
  );
  const remove = h(
    'button',
    { type: 'button', id: 'remove-interpreter', hidden: true },
    t('agent.interpreter.remove'),
  );
  request.addEventListener('click', () => {
    s.request('agent:request-interpreter', { language }).catch(showError);
  });
  replace.addEventListener('click', () => {
    s.request('agent:remove-interpreter', { replace: true }).catch(showError);
  });
  remove.addEventListener('click', () => {
    s.request('agent:remove-interpreter', { replace: false }).catch(showError);
  });
  call.onInterpreterChange(({ status }) => {
    request.hidden = status !== 'none';
    replace.hidden = status !== 'joined';
    remove.hidden = status === 'none';
  });
  call.extraControls.replaceChildren(request, replace, remove);
}

showView('signin', false);
renderWrapUp();
await setUpStaffSignIn('agent', 'agent.notAgent', () => {
  connect();
  showAgentView('console');
  renderPresence();
});
