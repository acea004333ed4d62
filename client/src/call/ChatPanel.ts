import type { ChatMessage, Role, RttDraft } from '../../../common/protocol';
import { i18n, t } from '../i18n';
import type { Signaling } from '../signaling';
import { h } from '../ui/dom';

/** How often a draft goes out while typing: well inside EN 301 549's 500 ms for real-time text. */
const RTT_INTERVAL_MS = 100;

/**
 * Text beside the video: sent messages in a log, and real-time text, where each participant's
 * draft appears on the others' screens as it is typed.
 */
export class ChatPanel {
  readonly element: HTMLElement;
  readonly #log: HTMLOListElement;
  readonly #drafts: HTMLElement;
  readonly #input: HTMLTextAreaElement;
  readonly #draftLines = new Map<string, HTMLElement>();
  #timer: number | undefined;
  #lastSent = '';

  constructor(
    private readonly signaling: Signaling<never>,
    private readonly onError: (err: unknown) => void,
  ) {
    this.#log = h('ol', { class: 'chat-log', id: 'chat-log' });
    this.#drafts = h('div', { class: 'rtt-drafts', id: 'rtt-drafts' });
    this.#input = h('textarea', { id: 'chat-input', rows: '2', maxlength: '2000' });
    const label = h('label', { for: 'chat-input' }, t('call.chat.label'));
    const send = h('button', { type: 'submit', id: 'chat-send' }, t('call.chat.send'));
    const form = h('form', { class: 'chat-form' }, label, this.#input, send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#send();
    });
    this.#input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.#send();
      }
    });
    this.#input.addEventListener('input', () => this.#scheduleDraft());
    this.element = h(
      'section',
      { class: 'chat', 'aria-labelledby': 'chat-heading' },
      h('h3', { id: 'chat-heading' }, t('call.chat.title')),
      // The log role (polite) lets screen readers read new messages without moving focus.
      h('div', { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'chat-heading' }, this.#log),
      this.#drafts,
      form,
    );
  }

  showMessage(m: ChatMessage, mine: boolean): void {
    const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(m.at);
    const who = mine ? t('call.chat.you') : t(`call.roles.${m.role}`);
    this.#log.append(
      h(
        'li',
        { class: mine ? 'mine' : '' },
        h('strong', {}, who),
        ' ',
        h('span', {}, m.text),
        ' ',
        h('time', {}, time),
      ),
    );
    this.#log.scrollTop = this.#log.scrollHeight;
  }

  showDraft(d: RttDraft): void {
    let line = this.#draftLines.get(d.participantId);
    if (!d.text) {
      line?.remove();
      this.#draftLines.delete(d.participantId);
      return;
    }
    if (!line) {
      line = h('p', { class: 'rtt-line', 'data-participant': d.participantId });
      this.#draftLines.set(d.participantId, line);
      this.#drafts.append(line);
    }
    line.replaceChildren(
      h('strong', {}, t('call.chat.typing', { role: t(`call.roles.${d.role as Role}`) })),
      ' ',
      d.text,
    );
  }

  #scheduleDraft(): void {
    if (this.#timer !== undefined) return;
    this.#timer = window.setTimeout(() => {
      this.#timer = undefined;
      const text = this.#input.value;
      if (text === this.#lastSent) return;
      this.#lastSent = text;
      this.signaling.request('rtt:update', { text }).catch(this.onError);
    }, RTT_INTERVAL_MS);
  }

  #send(): void {
    const text = this.#input.value.trim();
    if (!text) return;
    window.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#input.value = '';
    this.#lastSent = '';
    this.signaling.request('chat:send', { text }).catch(this.onError);
  }

  focus(): void {
    this.#input.focus();
  }
}
