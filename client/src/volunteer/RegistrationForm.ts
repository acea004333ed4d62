/**
 * A volunteer interpreter registers: name, username, password (twice), an optional contact, their
 * languages with a level each and, if they like, their weekly hours (so a supervisor sees when they
 * can help before approving). The account waits for a supervisor's approval (`POST /api/volunteers`).
 */
import { api } from '../api';
import { t } from '../i18n';
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
} from './fields';
import { browserTimeZone } from './hours';
import { HoursEditor } from './HoursEditor';

const USERNAME = /^[a-z0-9._-]{3,32}$/;
const MIN_PASSWORD = 12;
const MAX_CONTACT = 200;
const MAX_NAME = 80;

export function mountRegistrationForm(container: HTMLElement, onRegistered: () => void): void {
  const texts = new Texts();
  const errors = new FormErrors('vreg');
  const input = (name: string, attrs: Record<string, string | boolean>) =>
    h('input', { id: uid(`vreg-${name}`), name, ...attrs });

  const displayName = input('displayName', {
    autocomplete: 'name',
    required: true,
    maxlength: String(MAX_NAME),
  });
  const username = input('username', {
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    maxlength: '32',
  });
  const password = input('password', { type: 'password', autocomplete: 'new-password', required: true });
  const confirm = input('confirm', { type: 'password', autocomplete: 'new-password', required: true });
  const contact = input('contact', { maxlength: String(MAX_CONTACT) });
  const languages = new LanguageRows('vreg');
  languages.set([]);
  // Converted for the zone this browser is in, which is also the one sent (editable later in the profile).
  const hours = new HoursEditor('vreg', browserTimeZone);

  const submit = texts.text(h('button', { type: 'submit', class: 'primary' }), () =>
    t('volunteer:register.submit'),
  );
  const form = h(
    'form',
    { class: 'vp-form', novalidate: true },
    errors.summary,
    field(
      texts,
      displayName,
      () => t('volunteer:register.displayName'),
      () => t('volunteer:register.displayNameHint'),
    ),
    field(
      texts,
      username,
      () => t('volunteer:register.username'),
      () => t('volunteer:register.usernameHint'),
    ),
    field(
      texts,
      password,
      () => t('volunteer:register.password'),
      () => t('volunteer:register.passwordHint'),
    ),
    field(texts, confirm, () => t('volunteer:register.confirm')),
    field(
      texts,
      contact,
      () => t('volunteer:register.contact'),
      () => t('volunteer:register.contactHint'),
    ),
    languages.element,
    hours.element,
    submit,
  );
  // Announced when it appears; focus moves to it so keyboard users are not left on a removed button.
  const done = h('div', { class: 'vp-done', role: 'status', tabindex: '-1' });
  // The container is this form's alone: mounting again starts afresh.
  container.replaceChildren(form, done);

  const label = (el: HTMLInputElement) => el.labels?.[0]?.textContent ?? el.name;
  const controls: Record<string, HTMLInputElement> = { displayName, username, password, confirm, contact };
  const resolve = (name: string): FieldTarget | null => {
    const control = controls[name];
    if (control) {
      return {
        label: label(control),
        focus: control,
        invalid: [control],
        host: control.parentElement ?? form,
      };
    }
    if (name.startsWith('weeklyHours')) return hours.target(name);
    return name.startsWith('languages') ? languages.target(name) : null;
  };

  function validate(): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const name = displayName.value.trim();
    if (!name) issues.push({ field: 'displayName', message: t('volunteer:errors.displayNameMissing') });
    else if (name.length > MAX_NAME)
      issues.push({ field: 'displayName', message: t('volunteer:errors.displayNameLong') });
    if (!USERNAME.test(username.value.trim().toLowerCase())) {
      issues.push({ field: 'username', message: t('volunteer:errors.username') });
    }
    if (password.value.length < MIN_PASSWORD)
      issues.push({ field: 'password', message: t('volunteer:errors.password') });
    else if (confirm.value !== password.value) {
      issues.push({ field: 'confirm', message: t('volunteer:errors.confirm') });
    }
    if (contact.value.trim().length > MAX_CONTACT)
      issues.push({ field: 'contact', message: t('volunteer:errors.contact') });
    return [...issues, ...languages.validate(), ...hours.validate()];
  }

  function serverIssues(err: unknown): FieldIssue[] {
    if (!isRequestError(err) || err.code === 'disconnected') {
      return [{ field: 'form', message: t('volunteer:errors.network') }];
    }
    if (err.code === 'taken') return [{ field: 'username', message: t('volunteer:errors.usernameTaken') }];
    if (err.code === 'rate-limited') return [{ field: 'form', message: t('volunteer:errors.rateLimited') }];
    if (err.issues.length) return [...err.issues];
    return [{ field: 'form', message: t('volunteer:errors.server', { message: err.message }) }];
  }

  const heading = () => t('volunteer:errors.summary');

  const post = (body: unknown) => api('/api/volunteers', { method: 'POST', body: JSON.stringify(body) });

  /** Sends the browser's time zone too; one only this browser knows is not worth a refusal, so retry without it. */
  async function register(body: { timeZone?: string }): Promise<unknown> {
    try {
      return await post(body);
    } catch (err) {
      if (!isRequestError(err, 'invalid-payload')) throw err;
      if (err.issues.length === 0 || err.issues.some((i) => i.field !== 'timeZone')) throw err;
      const { timeZone: _unknown, ...rest } = body;
      return post(rest);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const issues = validate();
    if (issues.length) return errors.show(issues, resolve, heading());
    errors.clear();
    const contactText = contact.value.trim();
    const weeklyHours = hours.values();
    const body = {
      username: username.value.trim().toLowerCase(),
      displayName: displayName.value.trim(),
      password: password.value,
      languages: languages.values().map((l) => ({ tag: l.tag, level: l.level as LanguageLevel })),
      timeZone: browserTimeZone(),
      ...(contactText && { contact: contactText }),
      ...(weeklyHours.length > 0 && { weeklyHours }),
    };
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    register(body)
      .then(() => {
        form.remove();
        texts.text(done, () => t('volunteer:register.thanks'));
        done.focus();
        onRegistered();
      })
      .catch((err: unknown) => errors.show(serverIssues(err), resolve, heading()))
      .finally(() => {
        submit.disabled = false;
        submit.removeAttribute('aria-busy');
      });
  });

  onLanguageChange(container, () => {
    texts.refresh();
    languages.refresh();
    hours.render();
  });
}
