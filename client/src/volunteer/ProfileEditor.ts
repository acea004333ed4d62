/**
 * A signed-in volunteer edits their languages, weekly hours (in Korea time, each slot also shown in
 * their own time zone), time zone and contact: `GET` then `PUT /api/volunteer/profile`.
 */
import { api } from '../api';
import { i18n, t } from '../i18n';
import { isRequestError } from '../requestError';
import { h } from '../ui/dom';
import {
  field,
  type FieldIssue,
  type FieldTarget,
  FormErrors,
  LanguageRows,
  type LanguageLevel,
  onLanguageChange,
  Texts,
  uid,
  type VolunteerProfileView,
} from './fields';
import { browserTimeZone, CENTRE_TIME_ZONE, offsetAt, zoneCity } from './hours';
import { HoursEditor, isKnownZone } from './HoursEditor';

export type { VolunteerProfileView } from './fields';

const MAX_CONTACT = 200;
const COMMON_TIME_ZONES = [
  'Asia/Seoul',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Manila',
  'Asia/Ho_Chi_Minh',
  'Asia/Bangkok',
  'Asia/Phnom_Penh',
  'Asia/Jakarta',
  'Asia/Yangon',
  'Asia/Dhaka',
  'Asia/Kathmandu',
  'Asia/Colombo',
  'Asia/Karachi',
  'Asia/Tashkent',
  'Asia/Ulaanbaatar',
  'Europe/Moscow',
  'Europe/Paris',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'Australia/Sydney',
  'UTC',
];

/** "Ho Chi Minh — Indochina Time (GMT+7)", with Intl's names in the UI language. */
function zoneLabel(zone: string): string {
  const part = (timeZoneName: 'longGeneric' | 'shortOffset') => {
    try {
      return new Intl.DateTimeFormat(i18n.language, { timeZone: zone, timeZoneName })
        .formatToParts(Date.now())
        .find((p) => p.type === 'timeZoneName')?.value;
    } catch {
      return undefined;
    }
  };
  const generic = part('longGeneric');
  const offset = part('shortOffset');
  const city = zone === CENTRE_TIME_ZONE ? t('volunteer:hours.seoul') : zoneCity(zone);
  return [city, generic && generic !== offset ? ` — ${generic}` : '', offset ? ` (${offset})` : ''].join('');
}

export async function mountProfileEditor(
  container: HTMLElement,
  onSaved?: (profile: VolunteerProfileView) => void,
): Promise<void> {
  const texts = new Texts();
  const errors = new FormErrors('vprof');
  const loading = texts.text(h('p', { class: 'status' }), () => t('volunteer:profile.loading'));
  // The container is this editor's alone: mounting again starts afresh.
  container.replaceChildren(errors.summary, loading);

  let profile: VolunteerProfileView | null;
  try {
    ({ profile } = await api<{ profile: VolunteerProfileView }>('/api/volunteer/profile'));
  } catch (err) {
    if (isRequestError(err, 'not-found')) {
      profile = null; // Made with the accounts CLI: no profile yet, so start from a blank one.
    } else {
      loading.remove();
      const retry = texts.text(h('button', { type: 'button' }), () => t('volunteer:profile.retry'));
      retry.addEventListener('click', () => {
        void mountProfileEditor(container, onSaved);
      });
      errors.show(
        [{ field: 'load', message: loadFailure(err) }],
        () => null,
        t('volunteer:profile.loadFailed'),
      );
      container.append(retry);
      return;
    }
  }
  loading.remove();

  // ── controls ──
  const languages = new LanguageRows('vprof');
  const timeZone = h('select', { id: uid('vprof-timezone') });
  const contact = h('input', { id: uid('vprof-contact'), name: 'contact', maxlength: String(MAX_CONTACT) });
  const hours = new HoursEditor('vprof', () => timeZone.value);
  const save = texts.text(h('button', { type: 'submit', class: 'primary' }), () =>
    t('volunteer:profile.save'),
  );
  const status = h('p', { class: 'vp-status', role: 'status' });
  const form = h(
    'form',
    { class: 'vp-form', novalidate: true },
    errors.summary,
    languages.element,
    field(
      texts,
      timeZone,
      () => t('volunteer:profile.timeZone'),
      () => t('volunteer:profile.timeZoneHint'),
    ),
    hours.element,
    field(
      texts,
      contact,
      () => t('volunteer:register.contact'),
      () => t('volunteer:register.contactHint'),
    ),
    save,
    status,
  );
  container.append(form);

  // ── time zone ──
  function fillTimeZones(selected: string): void {
    const zones = [...new Set([...COMMON_TIME_ZONES, browserTimeZone(), selected])].filter(isKnownZone);
    const now = Date.now();
    const labelled = zones.map((zone) => ({ zone, label: zoneLabel(zone), offset: offsetAt(now, zone) }));
    labelled.sort((a, b) => a.offset - b.offset || a.label.localeCompare(b.label, i18n.language));
    timeZone.replaceChildren(...labelled.map(({ zone, label }) => h('option', { value: zone }, label)));
    timeZone.value = selected;
  }
  timeZone.addEventListener('change', () => hours.render());

  // ── filling in, checking, saving ──
  function render(p: VolunteerProfileView | null): void {
    languages.set(p?.languages ?? []);
    fillTimeZones(p?.timeZone ?? browserTimeZone());
    contact.value = p?.contact ?? '';
    hours.set(p?.weeklyHours ?? []);
  }

  function validate(): FieldIssue[] {
    const issues = languages.validate();
    issues.push(...hours.validate());
    if (contact.value.trim().length > MAX_CONTACT)
      issues.push({ field: 'contact', message: t('volunteer:errors.contact') });
    return issues;
  }

  function resolve(name: string): FieldTarget | null {
    if (name.startsWith('languages')) return languages.target(name);
    if (name === 'timeZone') {
      return {
        label: t('volunteer:profile.timeZone'),
        focus: timeZone,
        invalid: [timeZone],
        host: timeZone.parentElement ?? form,
      };
    }
    if (name === 'contact') {
      return {
        label: t('volunteer:register.contact'),
        focus: contact,
        invalid: [contact],
        host: contact.parentElement ?? form,
      };
    }
    if (name.startsWith('weeklyHours')) return hours.target(name);
    return null;
  }

  function announce(message: string): void {
    // Emptied first so that saving twice announces twice.
    status.textContent = '';
    window.setTimeout(() => (status.textContent = message), 100);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (save.disabled) return;
    status.textContent = '';
    const issues = validate();
    if (issues.length) return errors.show(issues, resolve, t('volunteer:errors.summary'));
    errors.clear();
    const body = {
      languages: languages.values().map((l) => ({ tag: l.tag, level: l.level as LanguageLevel })),
      weeklyHours: hours.values(),
      timeZone: timeZone.value,
      contact: contact.value.trim() || null,
    };
    save.disabled = true;
    save.setAttribute('aria-busy', 'true');
    api<{ profile: VolunteerProfileView }>('/api/volunteer/profile', {
      method: 'PUT',
      body: JSON.stringify(body),
    })
      .then(({ profile: saved }) => {
        render(saved);
        const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(saved.updatedAt);
        announce(t('volunteer:profile.saved', { time }));
        onSaved?.(saved);
      })
      .catch((err: unknown) => {
        const serverIssues =
          isRequestError(err, 'invalid-payload') && err.issues.length
            ? [...err.issues]
            : [{ field: 'save', message: loadFailure(err) }];
        errors.show(serverIssues, resolve, t('volunteer:errors.summary'));
      })
      .finally(() => {
        save.disabled = false;
        save.removeAttribute('aria-busy');
      });
  });

  render(profile);

  onLanguageChange(container, () => {
    texts.refresh();
    languages.refresh();
    fillTimeZones(timeZone.value);
    hours.render();
  });
}

function loadFailure(err: unknown): string {
  if (!isRequestError(err) || err.code === 'disconnected') return t('volunteer:errors.network');
  if (err.code === 'unauthenticated' || err.code === 'forbidden') return t('volunteer:errors.notSignedIn');
  return t('volunteer:errors.server', { message: err.message });
}
