import type { CallerServerEvents, EndReason, QueueView } from '../../../common/protocol';
import { CallController } from '../call/CallController';
import { formatDuration, initI18n, t, translateDom } from '../i18n';
import { openCameraAndMic } from '../media/MediaClient';
import { RequestError, Signaling } from '../signaling';
import { Announcer } from '../ui/announcer';
import { byId, showView } from '../ui/dom';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';

await initI18n();
translateDom();
document.title = t('caller.title');

const announcer = new Announcer(byId('announcer'));
const signaling = new Signaling<CallerServerEvents>('/caller');
let stream: MediaStream | null = null;
let lastQueue: QueueView | null = null;

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = t('caller.title');
  if (lastQueue) renderQueue(lastQueue, false);
});

function showError(err: unknown): void {
  const box = byId('error');
  const message = err instanceof RequestError || err instanceof Error ? err.message : String(err);
  box.textContent = t('caller.error', { message });
  box.hidden = false;
}

function clearError(): void {
  byId('error').hidden = true;
}

async function preparePreview(): Promise<void> {
  const status = byId('device-status');
  try {
    stream = await openCameraAndMic();
    byId<HTMLVideoElement>('preview').srcObject = stream;
    status.textContent = t('caller.devicesReady');
  } catch (err) {
    status.textContent = t('caller.previewUnavailable', {
      reason: err instanceof Error ? err.name : String(err),
    });
  }
}

/** Shows place and estimate; announces only when the place changes (never on a timer). */
function renderQueue(view: QueueView, announce: boolean): void {
  const changed = lastQueue?.position !== view.position;
  lastQueue = view;
  const position = t('caller.position', { count: view.position });
  const estimate =
    view.estimatedWaitMs === null
      ? t('caller.estimateUnknown')
      : t('caller.estimate', { duration: formatDuration(view.estimatedWaitMs) });
  byId('queue-position').textContent = position;
  byId('queue-estimate').textContent = estimate;
  if (announce && changed) announcer.say(`${position}. ${estimate}`);
}

byId<HTMLFormElement>('call-form').addEventListener('submit', (event) => {
  event.preventDefault();
  clearError();
  const language = new FormData(event.currentTarget as HTMLFormElement).get('language');
  signaling
    .request('lobby:request', { language: String(language), mode: 'video' })
    .then((view) => {
      showView('waiting');
      renderQueue(view, false);
      announcer.say(`${t('caller.waiting')} ${byId('queue-position').textContent}`, true);
    })
    .catch(showError);
});

byId('cancel-button').addEventListener('click', () => {
  signaling
    .request('lobby:cancel', {})
    .then(() => {
      lastQueue = null;
      showView('setup');
    })
    .catch(showError);
});

byId('again-button').addEventListener('click', () => {
  showView('setup');
  void preparePreview();
});

signaling.socket.on('lobby:position', (view) => renderQueue(view, true));
signaling.socket.on('lobby:matched', ({ token }) => {
  lastQueue = null;
  showView('call');
  announcer.say(t('caller.connecting'), true);
  new CallController(signaling as Signaling<never>, byId('call-root'), announcer, onCallEnded)
    .start(token, stream)
    .then(() => {
      byId('call-status').textContent = t('call.inCall');
    })
    .catch(showError);
});

function onCallEnded(reason: EndReason): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
  byId('ended-reason').textContent = t(`call.endedBy.${reason}`);
  showView('ended');
}

showView('setup', false);
await preparePreview();
