import type { InvitationView, VolunteerPresence, VolunteerServerEvents } from '../../../common/protocol';
import { CallController } from '../call/CallController';
import { initI18n, languageName, t, translateDom } from '../i18n';
import { openCameraAndMic } from '../media/MediaClient';
import { PreloadedDevice } from '../media/PreloadedDevice';
import { Signaling } from '../signaling';
import { Announcer } from '../ui/announcer';
import { byId, showView } from '../ui/dom';
import { mountLanguageSwitcher } from '../ui/languageSwitcher';
import { clearError, IncomingPanel, setUpStaffSignIn, showError, signedOutByServer } from '../ui/staffPage';
import { mountProfileEditor } from '../volunteer/ProfileEditor';
import { mountRegistrationForm } from '../volunteer/RegistrationForm';

await initI18n();
translateDom();
const pageTitle = () => t('volunteerPage.title');
document.title = pageTitle();

const announcer = new Announcer(byId('announcer'));
const incoming = new IncomingPanel(
  byId('invitation'),
  byId('accept-invitation'),
  byId('invitation-expires'),
  announcer,
  pageTitle,
);
let signaling: Signaling<VolunteerServerEvents> | null = null;
let presence: VolunteerPresence = 'offline';
let invitation: InvitationView | null = null;
/** Loaded while an invitation rings (no camera needed for it), so the accept need not wait for it. */
let device: PreloadedDevice | null = null;
let withinHours = true;

mountLanguageSwitcher(byId('lang-switcher'), () => {
  document.title = pageTitle();
  renderPresence();
  if (invitation) renderInvitation(invitation);
  incoming.refresh();
});

function renderPresence(): void {
  byId('presence').textContent = t(`volunteerPage.presence.${presence}`);
  byId<HTMLButtonElement>('go-online').disabled = presence !== 'offline' && presence !== 'away';
  byId<HTMLButtonElement>('go-away').disabled = presence !== 'available';
  // Online outside one's weekly hours means no calls: say so rather than leave them waiting.
  byId('hours-note').textContent =
    presence === 'available' && !withinHours ? t('volunteerPage.outsideHours') : '';
}

function renderInvitation(inv: InvitationView): string {
  const text = t('volunteerPage.invitation.language', { language: languageName(inv.language) });
  byId('invitation-language').textContent = text;
  return text;
}

function connect(): void {
  const s = new Signaling<VolunteerServerEvents>('/volunteer');
  signaling = s;
  s.socket.on('connect_error', showError);
  s.socket.on('auth:signed-out', signedOutByServer);
  s.socket.on('volunteer:presence', (p) => {
    presence = p.presence;
    withinHours = p.withinHours;
    renderPresence();
  });
  s.socket.on('volunteer:invitation', (inv) => {
    invitation = inv;
    // Unlike an agent's, a volunteer's camera stays off until they accept: an invitation rings
    // several volunteers at once, most of them at home. The Device opens no camera.
    device = inv.routerRtpCapabilities ? new PreloadedDevice(inv.routerRtpCapabilities) : null;
    incoming.show(t('volunteerPage.invitation.title'), () => renderInvitation(inv), inv.expiresAt);
  });
  s.socket.on('volunteer:invitation-ended', ({ invitationId, reason }) => {
    if (invitation?.invitationId !== invitationId) return;
    invitation = null;
    device = null;
    incoming.hide();
    const note = t(`volunteerPage.invitation.ended.${reason}`);
    byId('presence-note').textContent = note;
    announcer.say(note, true);
  });
}

byId('show-register').addEventListener('click', () => {
  showView('register');
  if (!byId('registration').hasChildNodes()) mountRegistrationForm(byId('registration'), () => undefined);
});
byId('back-to-signin').addEventListener('click', () => showView('signin'));

byId('go-online').addEventListener('click', () => {
  clearError();
  byId('presence-note').textContent = '';
  signaling?.request('volunteer:set-presence', { presence: 'available' }).catch(showError);
});
byId('go-away').addEventListener('click', () => {
  signaling?.request('volunteer:set-presence', { presence: 'away' }).catch(showError);
});

byId('decline-invitation').addEventListener('click', () => {
  if (!invitation || !signaling) return;
  const { invitationId } = invitation;
  invitation = null;
  device = null;
  incoming.hide();
  signaling.request('volunteer:decline-invitation', { invitationId }).catch(showError);
});

byId('accept-invitation').addEventListener('click', () => {
  if (!invitation || !signaling) return;
  const s = signaling;
  const accepted = invitation;
  invitation = null;
  incoming.hide();
  const preloaded = device;
  device = null;
  void (async () => {
    // The camera opens on the accept and not before (see the invitation above), but beside the
    // accept's round trip and the join rather than ahead of them.
    const accepting = s.request('volunteer:accept-invitation', { invitationId: accepted.invitationId });
    const opening = openCameraAndMic().catch(() => null);
    const stop = () => {
      // A failed accept may come back before the camera has opened: it is closed once it has.
      void opening.then((opened) => opened?.getTracks().forEach((track) => track.stop()));
    };
    try {
      const { token } = await accepting;
      showView('call');
      // Signing out would end the call with the page: not offered until it is over.
      byId('sign-out').hidden = true;
      byId('call-language').textContent = renderInvitation(accepted);
      await new CallController(s, byId('call-root'), announcer, (reason) => {
        stop();
        byId('presence-note').textContent = t(`call.endedBy.${reason}`);
        byId('sign-out').hidden = false;
        showView('dashboard');
      }).start(token, opening, preloaded);
    } catch (err) {
      stop();
      showError(err);
      byId('sign-out').hidden = false;
      showView('dashboard');
    }
  })();
});

showView('signin', false);
await setUpStaffSignIn('volunteer', 'volunteerPage.notVolunteer', () => {
  connect();
  showView('dashboard');
  renderPresence();
  void mountProfileEditor(byId('profile'));
});
