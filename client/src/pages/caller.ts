import { INTERPRETED_LANGUAGES } from '../../../common/languages';
import type {
  CallerServerEvents,
  EndReason,
  FallbackChoice,
  FallbackView,
  QueueView,
} from '../../../common/protocol';
import { CallController } from '../call/CallController';
import { initI18n, languageName, setTranslatedText, t, translateDom } from '../i18n';
import { fillDeviceSelect, meterMicrophone } from '../media/devices';
import { openCameraAndMic } from '../media/MediaClient';
import { PreloadedDevice } from '../media/PreloadedDevice';
import { mark } from '../timeline';
import { withRetry } from '../requestError';
import { Signaling } from '../signaling';
import { Announcer } from '../ui/announcer';
import { byId, h, showView } from '../ui/dom';
import { errorText } from '../ui/errors';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';

/** A caller who chose a callback may close the tab: their key survives in localStorage. */
const RESUME_KEY = 'relay.resumeKey';

await initI18n(['translation']);
translateDom();
document.title = t('caller.title');

const announcer = new Announcer(byId('announcer'));
const signaling = new Signaling<CallerServerEvents>('/caller');
let stream: MediaStream | null = null;
/** Loaded while the caller waits in line, so the agent's accept need not wait for it. */
let device: PreloadedDevice | null = null;
let stopMeter: () => void = () => undefined;
let lastQueue: QueueView | null = null;
let lastFallback: FallbackView | null = null;
let waiting = false;
/** Kept with the place in line, so a reloaded page still says who it is looking for. */
const REQUESTED_LANGUAGE_KEY = 'relay.requestedLanguage';
/** The language this caller asked for (null when unknown, e.g. back for a callback in a new tab). */
let requestedLanguage: string | null = sessionStorage.getItem(REQUESTED_LANGUAGE_KEY);
/** The survey on screen, re-rendered in the new language when the caller switches. */
let shownSurvey: string | null = null;

function fillInterpreterLanguages(): void {
  const select = byId<HTMLSelectElement>('interpreter-language');
  const current = select.value || 'vi';
  select.replaceChildren(
    ...INTERPRETED_LANGUAGES.map((tag) =>
      h('option', { value: tag, lang: tag, ...(tag === current && { selected: true }) }, languageName(tag)),
    ),
  );
}

type Need = 'kvk' | 'ko' | 'interpreter';

function chosenNeed(): Need {
  const value = byId<HTMLFormElement>('call-form').querySelector<HTMLInputElement>(
    'input[name="need"]:checked',
  )?.value;
  return value === 'ko' || value === 'interpreter' ? value : 'kvk';
}

/** What pressing Call will do, in words that follow the choice; the language list only when needed. */
function renderNeed(): void {
  const need = chosenNeed();
  byId('interpreter-language-field').hidden = need !== 'interpreter';
  const language = languageName(byId<HTMLSelectElement>('interpreter-language').value || 'vi');
  const intro =
    need === 'kvk'
      ? t('caller.introFor.kvk')
      : need === 'ko'
        ? t('caller.introFor.ko')
        : t('caller.introFor.interpreter', { language });
  byId('setup-intro').textContent = `${intro} ${t('caller.checkDevices')}`;
}
for (const radio of document.querySelectorAll<HTMLInputElement>('#call-form input[name="need"]')) {
  radio.addEventListener('change', renderNeed);
}
byId('interpreter-language').addEventListener('change', renderNeed);

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = t('caller.title');
  fillInterpreterLanguages();
  renderNeed();
  if (lastQueue) renderQueue(lastQueue, false);
  if (lastFallback) showFallback(lastFallback);
  if (shownSurvey) renderSurvey();
});
fillInterpreterLanguages();
renderNeed();

function showError(err: unknown): void {
  const box = byId('error');
  box.textContent = t('caller.error', { message: errorText(err) });
  box.hidden = false;
}

const clearError = () => (byId('error').hidden = true);

async function preparePreview(): Promise<void> {
  const status = byId('device-status');
  const cameraSelect = byId<HTMLSelectElement>('camera-select');
  const micSelect = byId<HTMLSelectElement>('mic-select');
  stopMeter();
  for (const track of stream?.getTracks() ?? []) track.stop();
  try {
    stream = await openCameraAndMic({
      cameraId: cameraSelect.value || undefined,
      micId: micSelect.value || undefined,
    });
    byId<HTMLVideoElement>('preview').srcObject = stream;
    await fillDeviceSelect(cameraSelect, 'videoinput', stream.getVideoTracks()[0]?.getSettings().deviceId);
    await fillDeviceSelect(micSelect, 'audioinput', stream.getAudioTracks()[0]?.getSettings().deviceId);
    stopMeter = meterMicrophone(stream, byId<HTMLMeterElement>('mic-level'));
    setTranslatedText(status, 'caller.devicesReady');
  } catch (err) {
    stream = null;
    setTranslatedText(status, 'caller.previewUnavailable', {
      reason: err instanceof Error ? err.name : String(err),
    });
  }
}
byId('camera-select').addEventListener('change', () => void preparePreview());
byId('mic-select').addEventListener('change', () => void preparePreview());

/** Who is missing when nobody can be estimated: an interpreter, a signer, or an agent. */
function noEstimateText(): string {
  if (requestedLanguage === 'kvk') return t('caller.noSignerOnline');
  if (requestedLanguage && requestedLanguage !== 'ko') {
    return t('caller.noInterpreterOnline', { language: languageName(requestedLanguage) });
  }
  return t('caller.estimateUnknown');
}

/** "Less than a minute" and "about N minutes" are separate sentences, so each language words them naturally. */
function estimateText(estimatedWaitMs: number | null): string {
  if (estimatedWaitMs === null) return noEstimateText();
  const minutes = Math.round(estimatedWaitMs / 60_000);
  return minutes < 1 ? t('caller.estimateUnderMinute') : t('caller.estimateMinutes', { count: minutes });
}

/**
 * Shows place and estimate; announces only when the place changes (never on a timer). A zero
 * estimate means an agent is being offered the call (or is about to be): no "nobody can help" then.
 */
function renderQueue(view: QueueView, announce: boolean): void {
  const changed = lastQueue?.position !== view.position;
  lastQueue = view;
  const position = t('caller.position', { count: view.position });
  const estimate = estimateText(view.estimatedWaitMs);
  byId('queue-position').textContent = position;
  byId('queue-estimate').textContent = estimate;
  byId('fallback').hidden = lastFallback === null || view.estimatedWaitMs === 0;
  if (announce && changed) announcer.say(`${position}. ${estimate}`);
}

/** The key that holds this caller's place; kept through the call in case the agent drops out. */
let heldKey: string | null = null;

function startWaiting(view: QueueView, resumeKey?: string): void {
  if (resumeKey) heldKey = resumeKey;
  waiting = true;
  if (resumeKey) sessionStorage.setItem(RESUME_KEY, resumeKey);
  showView('waiting');
  renderQueue(view, false);
  announcer.say(`${t('caller.waiting')} ${byId('queue-position').textContent ?? ''}`, true);
}

function stopWaiting(): void {
  waiting = false;
  lastQueue = null;
  lastFallback = null;
  byId('fallback').hidden = true;
  byId('callback-note').hidden = true;
  sessionStorage.removeItem(RESUME_KEY);
  localStorage.removeItem(RESUME_KEY);
}

/** Names who is missing: the interpreter for a language, a signer, or anyone (spoken Korean). */
function fallbackReason(view: FallbackView): string {
  if (view.reason === 'long-wait') return t('caller.fallback.reason.long-wait');
  if (requestedLanguage === 'kvk') return t('caller.fallback.noSigner');
  if (requestedLanguage && requestedLanguage !== 'ko') {
    return t('caller.fallback.noInterpreter', { language: languageName(requestedLanguage) });
  }
  return t('caller.fallback.reason.no-capacity');
}

function showFallback(view: FallbackView): void {
  lastFallback = view;
  const box = byId('fallback');
  for (const button of box.querySelectorAll<HTMLButtonElement>('button[data-choice]')) {
    button.hidden = !view.options.includes(button.dataset['choice'] as FallbackChoice);
  }
  byId('fallback-reason').textContent = fallbackReason(view);
  // An agent is being offered the call right now: the other ways wait until that offer fails.
  if (lastQueue?.estimatedWaitMs === 0) return;
  const wasHidden = box.hidden;
  box.hidden = false;
  if (wasHidden) {
    announcer.say(`${t('caller.fallback.title')}. ${byId('fallback-reason').textContent ?? ''}`, true);
    byId('fallback-heading').tabIndex = -1;
    byId('fallback-heading').focus();
  }
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#fallback button[data-choice]')) {
  button.addEventListener('click', () => {
    const choice = button.dataset['choice'] as FallbackChoice;
    signaling
      .request('lobby:choose-fallback', { choice })
      .then(() => {
        byId('fallback').hidden = true;
        lastFallback = null;
        if (choice === 'callback') {
          // Keep the place even if this tab is closed; the page takes it back when reopened.
          const key = sessionStorage.getItem(RESUME_KEY);
          if (key) localStorage.setItem(RESUME_KEY, key);
          byId('callback-note').hidden = false;
        }
        announcer.say(t(`caller.fallback.chosen.${choice}`), true);
      })
      .catch(showError);
  });
}

byId<HTMLFormElement>('call-form').addEventListener('submit', (event) => {
  event.preventDefault();
  clearError();
  const form = new FormData(event.currentTarget as HTMLFormElement);
  const need = String(form.get('need'));
  const language = need === 'interpreter' ? String(form.get('interpreterLanguage')) : need;
  requestedLanguage = language;
  sessionStorage.setItem(REQUESTED_LANGUAGE_KEY, language);
  signaling
    .request('lobby:request', { language, mode: 'video' })
    .then(({ resumeKey, routerRtpCapabilities, ...view }) => {
      device = routerRtpCapabilities ? new PreloadedDevice(routerRtpCapabilities) : null;
      startWaiting(view, resumeKey);
    })
    .catch(showError);
});

byId('cancel-button').addEventListener('click', () => {
  signaling
    .request('lobby:cancel', {})
    .then(() => {
      device = null;
      stopWaiting();
      showView('setup');
    })
    .catch(showError);
});

byId('again-button').addEventListener('click', () => {
  showView('setup');
  void preparePreview();
});

async function joinCall(token: string): Promise<void> {
  mark('matched');
  const preloaded = device;
  device = null;
  // Back for a callback, the camera may not be open yet; a text call needs none.
  if (!stream) stream = await openCameraAndMic().catch(() => null);
  // The join goes first: the screen changes while it is answered.
  new CallController(signaling, byId('call-root'), announcer, onCallEnded)
    .start(token, stream, preloaded)
    .then(() => {
      document.title = t('caller.title');
      byId('call-status').textContent = t('call.inCall');
    })
    .catch(showError);
  stopWaiting();
  stopMeter();
  showView('call');
  // A visual alert for a caller who may be looking away: the tab title changes too.
  document.title = `● ${t('caller.connecting')}`;
  announcer.say(t('caller.connecting'), true);
}

function onCallEnded(reason: EndReason): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
  byId('ended-reason').textContent = t(`call.endedBy.${reason}`);
  byId('survey-thanks').hidden = true;
  showView('ended');
}

/**
 * The satisfaction question is asked in the caller's own UI language (the one they read the page
 * in), not in the language spoken in the call, and follows a switch of the UI language.
 */
function surveyOption(n: number): string {
  switch (n) {
    case 5:
      return t('caller.survey.options.5');
    case 4:
      return t('caller.survey.options.4');
    case 3:
      return t('caller.survey.options.3');
    case 2:
      return t('caller.survey.options.2');
    default:
      return t('caller.survey.options.1');
  }
}

function renderSurvey(): void {
  byId('survey-question').textContent = t('caller.survey.question');
  byId('survey-send').textContent = t('caller.survey.send');
  const options = byId('survey-options');
  const checked = options.querySelector<HTMLInputElement>('input:checked')?.value;
  options.replaceChildren(
    ...[5, 4, 3, 2, 1].map((n) =>
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'rating',
          value: String(n),
          required: true,
          ...(checked === String(n) && { checked: true }),
        }),
        ` ${surveyOption(n)}`,
      ),
    ),
  );
  const thanks = byId('survey-thanks');
  if (!thanks.hidden) thanks.textContent = t('caller.survey.thanks');
}

function showSurvey(surveyKey: string): void {
  shownSurvey = surveyKey;
  const form = byId<HTMLFormElement>('survey-form');
  renderSurvey();
  form.hidden = false;
  form.onsubmit = (event) => {
    event.preventDefault();
    const rating = Number(new FormData(form).get('rating'));
    signaling
      .request('call:rate', { surveyKey, rating })
      .then(() => {
        form.hidden = true;
        const thanks = byId('survey-thanks');
        thanks.textContent = t('caller.survey.thanks');
        thanks.hidden = false;
        announcer.say(thanks.textContent, true);
      })
      .catch(showError);
  };
}

/** Takes back a place in line (after a network blip, or on coming back for a callback). */
async function resume(): Promise<boolean> {
  const key = sessionStorage.getItem(RESUME_KEY) ?? localStorage.getItem(RESUME_KEY);
  if (!key) return false;
  try {
    const result = await withRetry(() => signaling.request('lobby:resume', { resumeKey: key }));
    if (result.status === 'matched') await joinCall(result.token);
    else startWaiting(result.view, key);
    return true;
  } catch {
    stopWaiting();
    return false;
  }
}

signaling.socket.on('lobby:position', (view) => renderQueue(view, true));
signaling.socket.on('lobby:fallback', showFallback);
signaling.socket.on('lobby:matched', ({ token }) => void joinCall(token));
// The agent's connection was lost for good: the caller is back in line, at its head.
signaling.socket.on('lobby:requeued', (view) => {
  startWaiting(view, heldKey ?? undefined);
  announcer.say(t('caller.requeued'), true);
});
signaling.socket.on('call:survey', ({ surveyKey }) => showSurvey(surveyKey));
// socket.io reconnects by itself after a blip; the caller then takes their place back.
signaling.socket.io.on('reconnect', () => {
  if (waiting) void resume();
});

showView('setup', false);
if (!(await resume())) await preparePreview();
