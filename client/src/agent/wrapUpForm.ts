/**
 * The agent's wrap-up after a call: resolved or not, a category, a short note. A lit-html template
 * of the page's state, so a language change is a re-render that keeps what the agent has filled in.
 */
import { html, type TemplateResult } from 'lit-html';
import type { ClientPayload } from '../../../common/protocol';
import { t } from '../i18n';

export type WrapUp = ClientPayload<'agent:wrap-up'>;
type Category = NonNullable<WrapUp['category']>;

const CATEGORIES: readonly Category[] = [
  'information',
  'complaint',
  'application',
  'welfare',
  'transport',
  'other',
];
export const NOTE_MAX = 500;

/** Literal keys, so the completeness test sees every one. */
function categoryName(category: Category): string {
  switch (category) {
    case 'information':
      return t('agent.categories.information');
    case 'complaint':
      return t('agent.categories.complaint');
    case 'application':
      return t('agent.categories.application');
    case 'welfare':
      return t('agent.categories.welfare');
    case 'transport':
      return t('agent.categories.transport');
    case 'other':
      return t('agent.categories.other');
  }
}

const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

export interface WrapUpState {
  /** Sending: the button is disabled so one wrap-up is not sent twice. */
  busy: boolean;
}

/** The form; `send` gets what the agent chose, and the form is reset once it resolves. */
export function wrapUpForm(state: WrapUpState, send: (wrapUp: WrapUp) => Promise<void>): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const category = String(data.get('category'));
    const note = String(data.get('note') ?? '').trim();
    void send({
      resolved: data.get('resolved') !== null,
      category: isCategory(category) ? category : 'other',
      ...(note && { note }),
    })
      .then(() => form.reset())
      // The page has shown why; what the agent filled in stays for another try.
      .catch(() => undefined);
  };
  return html`<form id="wrapup-form" class="stack" @submit=${submit}>
    <label class="choice">
      <input type="checkbox" id="wrapup-resolved" name="resolved" checked />
      <span>${t('agent.resolved')}</span>
    </label>
    <label for="wrapup-category">${t('agent.category')}</label>
    <select id="wrapup-category" name="category">
      ${CATEGORIES.map((c) => html`<option value=${c}>${categoryName(c)}</option>`)}
    </select>
    <label for="wrapup-note">${t('agent.note')}</label>
    <textarea id="wrapup-note" name="note" maxlength=${NOTE_MAX} rows="3"></textarea>
    <!-- One line, so the button's text is the words alone. -->
    <button type="submit" class="primary" ?disabled=${state.busy}>${t('agent.finishWrapUp')}</button>
  </form>`;
}
