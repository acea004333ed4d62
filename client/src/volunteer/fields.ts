/**
 * What the registration form and the profile editor share: labelled fields, the language rows and
 * the error display (a `role="alert"` summary plus a message tied to each field).
 */
import type { FieldIssue } from '../../../common/errors';
import { i18n, languageName, t } from '../i18n';
import { BRIDGE_LANGUAGE, INTERPRETED_LANGUAGES, KOREAN_SIGN_LANGUAGE } from '../../../common/languages';
import { h } from '../ui/dom';

/** One problem with one field: an API path ('languages.1.level', 'weeklyHours.0.end'…) or a form's own. */
export type { FieldIssue };

export type LanguageLevel = 'native' | 'fluent' | 'conversational';
export const LEVELS: readonly LanguageLevel[] = ['native', 'fluent', 'conversational'];
export interface VolunteerLanguage {
  tag: string;
  level: LanguageLevel;
}

/** What `GET/PUT /api/volunteer/profile` returns (the store's `VolunteerProfile`). */
export interface VolunteerProfileView {
  accountId: string;
  languages: VolunteerLanguage[];
  weeklyHours: { day: number; start: string; end: string }[];
  timeZone: string;
  contact: string | null;
  updatedAt: number;
}

export const MAX_LANGUAGES = 10;
/** Languages offered in the picker: the interpreted ones, Korean Sign Language and Korean. */
export const OFFERED_LANGUAGES = [...INTERPRETED_LANGUAGES, KOREAN_SIGN_LANGUAGE, BRIDGE_LANGUAGE];

let sequence = 0;
/** Ids unique on the page, so labels, hints and errors can point at their controls. */
export function uid(prefix: string): string {
  return `${prefix}-${++sequence}`;
}

/**
 * Text that follows the UI language: `text(el, () => t(...))` sets it now and again on every
 * language change (the page's switcher only re-translates `data-i18n` elements).
 */
export class Texts {
  readonly #apply: (() => void)[] = [];

  text<E extends HTMLElement>(el: E, fn: () => string): E {
    const apply = () => {
      el.textContent = fn();
    };
    apply();
    this.#apply.push(apply);
    return el;
  }

  attr<E extends HTMLElement>(el: E, name: string, fn: () => string): E {
    const apply = () => el.setAttribute(name, fn());
    apply();
    this.#apply.push(apply);
    return el;
  }

  refresh(): void {
    for (const apply of this.#apply) apply();
  }
}

/** Runs `fn` on each UI-language change while `root` is in the document. */
export function onLanguageChange(root: HTMLElement, fn: () => void): void {
  const handler = () => {
    if (!root.isConnected) {
      i18n.off('languageChanged', handler);
      return;
    }
    fn();
  };
  i18n.on('languageChanged', handler);
}

/** A label, an optional hint and a control, stacked; the hint describes the control. */
export function field(
  texts: Texts,
  control: HTMLInputElement | HTMLSelectElement,
  label: () => string,
  hint?: () => string,
): HTMLDivElement {
  const wrapper = h('div', { class: 'vp-field' }, texts.text(h('label', { for: control.id }), label));
  if (hint) {
    const hintEl = texts.text(h('p', { class: 'vp-hint', id: `${control.id}-hint` }), hint);
    describe(control, hintEl.id);
    wrapper.append(hintEl);
  }
  wrapper.append(control);
  return wrapper;
}

function describe(el: HTMLElement, id: string): void {
  const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  ids.add(id);
  el.setAttribute('aria-describedby', [...ids].join(' '));
}

function undescribe(el: HTMLElement, id: string): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
  else el.removeAttribute('aria-describedby');
}

const byName = (a: string, b: string) =>
  languageName(a).localeCompare(languageName(b), i18n.language, { sensitivity: 'base' });

// ── language rows ────────────────────────────────────────────────────────────────────────────────

interface LanguageRow {
  item: HTMLLIElement;
  tag: HTMLSelectElement;
  level: HTMLSelectElement;
  remove: HTMLButtonElement;
  texts: Texts;
  legend: HTMLLegendElement;
}

/**
 * A group of language rows (language select, level select, remove button) with an add button.
 * Each row is its own fieldset, "Language 1", "Language 2"…, so every control has a visible label.
 */
export class LanguageRows {
  readonly element: HTMLFieldSetElement;
  readonly #list: HTMLOListElement;
  readonly #add: HTMLButtonElement;
  readonly #full: HTMLParagraphElement;
  readonly #rows: LanguageRow[] = [];
  readonly #texts = new Texts();
  readonly #prefix: string;

  constructor(prefix: string) {
    this.#prefix = prefix;
    const hint = this.#texts.text(h('p', { class: 'vp-hint', id: uid(`${prefix}-languages-hint`) }), () =>
      t('volunteer:languages.hint'),
    );
    this.#list = h('ol', { class: 'vp-rows' });
    this.#add = this.#texts.text(h('button', { type: 'button', class: 'vp-add' }), () =>
      t('volunteer:languages.add'),
    );
    this.#full = this.#texts.text(h('p', { class: 'vp-hint', hidden: true }), () =>
      t('volunteer:languages.full', { max: MAX_LANGUAGES }),
    );
    this.element = h(
      'fieldset',
      { class: 'vp-group', 'aria-describedby': hint.id },
      this.#texts.text(h('legend'), () => t('volunteer:languages.legend')),
      hint,
      this.#list,
      this.#add,
      this.#full,
    );
    this.#add.addEventListener('click', () => {
      const row = this.#addRow({ tag: '', level: '' });
      row.tag.focus();
    });
  }

  /** Replaces the rows; an empty list starts with Korean and one blank row. */
  set(languages: readonly { tag: string; level: string }[]): void {
    for (const row of this.#rows.splice(0)) row.item.remove();
    const start = languages.length
      ? languages
      : [
          { tag: BRIDGE_LANGUAGE, level: '' },
          { tag: '', level: '' },
        ];
    for (const l of start) this.#addRow(l);
  }

  values(): { tag: string; level: string }[] {
    return this.#rows.map((r) => ({ tag: r.tag.value, level: r.level.value }));
  }

  /** The same rules as the server, with messages in the UI language and paths the server would use. */
  validate(): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const values = this.values();
    const seen = new Set<string>();
    values.forEach(({ tag, level }, i) => {
      if (!tag) issues.push({ field: `languages.${i}.tag`, message: t('volunteer:errors.languageMissing') });
      else if (seen.has(tag)) {
        issues.push({
          field: `languages.${i}.tag`,
          message: t('volunteer:errors.languageTwice', { language: languageName(tag) }),
        });
      }
      seen.add(tag);
      if (!level) issues.push({ field: `languages.${i}.level`, message: t('volunteer:errors.levelMissing') });
    });
    const chosen = values.filter((v) => v.tag);
    const korean = chosen.filter((v) => v.tag.split('-')[0] === BRIDGE_LANGUAGE);
    if (korean.length === 0) issues.push({ field: 'languages', message: t('volunteer:errors.needKorean') });
    else if (korean.length === chosen.length && values.length === chosen.length) {
      issues.push({ field: 'languages', message: t('volunteer:errors.needOther') });
    }
    return issues;
  }

  /** Where an issue about `languages…` shows. */
  target(field: string): FieldTarget | null {
    if (field === 'languages') {
      const first = this.#rows[0]?.tag;
      return first
        ? { label: t('volunteer:languages.legend'), focus: first, invalid: [], host: this.element }
        : null;
    }
    const m = /^languages\.(\d+)(?:\.(tag|level))?/.exec(field);
    const row = m ? this.#rows[Number(m[1])] : undefined;
    if (!m || !row) return null;
    const control = m[2] === 'level' ? row.level : row.tag;
    return {
      label: `${row.legend.textContent ?? ''} – ${control.labels?.[0]?.textContent ?? ''}`,
      focus: control,
      invalid: [control],
      host: control.parentElement ?? row.item,
    };
  }

  refresh(): void {
    this.#texts.refresh();
    this.#rows.forEach((row, i) => {
      row.texts.refresh();
      this.#fillLanguageOptions(row.tag, row.tag.value);
      row.legend.textContent = t('volunteer:languages.rowLegend', { n: i + 1 });
      row.remove.setAttribute('aria-label', t('volunteer:languages.removeNamed', { n: i + 1 }));
    });
  }

  #addRow(value: { tag: string; level: string }): LanguageRow {
    const texts = new Texts();
    const tag = h('select', { id: uid(`${this.#prefix}-lang`), required: true });
    this.#fillLanguageOptions(tag, value.tag);
    const level = h('select', { id: uid(`${this.#prefix}-level`), required: true });
    const placeholder = texts.text(h('option', { value: '' }), () => t('volunteer:languages.chooseLevel'));
    level.append(placeholder);
    for (const l of LEVELS) {
      level.append(texts.text(h('option', { value: l }), () => levelName(l)));
    }
    level.value = (LEVELS as readonly string[]).includes(value.level) ? value.level : '';
    const remove = texts.text(h('button', { type: 'button', class: 'vp-remove' }), () =>
      t('volunteer:languages.remove'),
    );
    const legend = h('legend');
    const item = h(
      'li',
      {},
      h(
        'fieldset',
        { class: 'vp-row' },
        legend,
        field(texts, tag, () => t('volunteer:languages.language')),
        field(texts, level, () => t('volunteer:languages.level')),
        remove,
      ),
    );
    const row: LanguageRow = { item, tag, level, remove, texts, legend };
    remove.addEventListener('click', () => this.#removeRow(row));
    this.#rows.push(row);
    this.#list.append(item);
    this.#renumber();
    return row;
  }

  #removeRow(row: LanguageRow): void {
    const index = this.#rows.indexOf(row);
    if (index === -1 || this.#rows.length <= 1) return;
    this.#rows.splice(index, 1);
    row.item.remove();
    this.#renumber();
    // Focus stays in the list: the row that took this one's place, else the one before.
    (this.#rows[index] ?? this.#rows[index - 1])?.tag.focus();
  }

  #renumber(): void {
    this.#rows.forEach((row, i) => {
      row.legend.textContent = t('volunteer:languages.rowLegend', { n: i + 1 });
      row.remove.setAttribute('aria-label', t('volunteer:languages.removeNamed', { n: i + 1 }));
      // The last row cannot go: there is always one to fill in.
      row.remove.hidden = this.#rows.length === 1;
    });
    const full = this.#rows.length >= MAX_LANGUAGES;
    this.#add.hidden = full;
    this.#full.hidden = !full;
  }

  #fillLanguageOptions(select: HTMLSelectElement, selected: string): void {
    const tags = [...OFFERED_LANGUAGES];
    if (selected && !tags.includes(selected)) tags.push(selected);
    // Korean first (everyone needs it), then by name in the UI language.
    const others = tags.filter((x) => x !== BRIDGE_LANGUAGE).sort(byName);
    select.replaceChildren(
      h('option', { value: '' }, t('volunteer:languages.choose')),
      ...[BRIDGE_LANGUAGE, ...others].map((tag) => h('option', { value: tag }, languageName(tag))),
    );
    select.value = selected;
  }
}

export function levelName(level: LanguageLevel): string {
  switch (level) {
    case 'native':
      return t('volunteer:languages.levels.native');
    case 'fluent':
      return t('volunteer:languages.levels.fluent');
    case 'conversational':
      return t('volunteer:languages.levels.conversational');
  }
}

// ── errors ───────────────────────────────────────────────────────────────────────────────────────

/** Where one issue shows: its message goes into `host`, `invalid` controls get aria-invalid. */
export interface FieldTarget {
  /** Names the field in the summary. */
  label: string;
  focus: HTMLElement;
  invalid: HTMLElement[];
  host: HTMLElement;
}

/**
 * A `role="alert"` summary listing every problem (each a link to its field) plus, next to each field,
 * its own message, referenced by the control's `aria-describedby`, with `aria-invalid="true"`.
 */
export class FormErrors {
  readonly summary: HTMLDivElement;
  #shown: { el: HTMLElement; ids: string[] }[] = [];

  constructor(prefix: string) {
    this.summary = h('div', { class: 'vp-errors', role: 'alert', id: uid(`${prefix}-errors`) });
  }

  clear(): void {
    this.summary.replaceChildren();
    for (const { el, ids } of this.#shown) {
      for (const id of ids) undescribe(el, id);
      el.removeAttribute('aria-invalid');
    }
    this.#shown = [];
    for (const message of document.querySelectorAll(`[data-error-of="${this.summary.id}"]`)) message.remove();
  }

  /** Shows the issues; those no target claims go to the summary only. Focuses the first field. */
  show(issues: readonly FieldIssue[], resolve: (field: string) => FieldTarget | null, heading: string): void {
    this.clear();
    if (issues.length === 0) return;
    const list = h('ul', {});
    let first: HTMLElement | null = null;
    for (const issue of issues) {
      const target = resolve(issue.field);
      if (!target) {
        list.append(h('li', {}, issue.message));
        continue;
      }
      const id = uid(`${this.summary.id}-msg`);
      target.host.append(
        h('p', { class: 'vp-field-error', id, 'data-error-of': this.summary.id }, issue.message),
      );
      const described = target.invalid.length ? target.invalid : [target.host];
      for (const el of described) {
        describe(el, id);
        if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) {
          el.setAttribute('aria-invalid', 'true');
        }
        this.#shown.push({ el, ids: [id] });
      }
      const link = h('a', { href: `#${target.focus.id}` }, `${target.label}: ${issue.message}`);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        target.focus.focus();
      });
      list.append(h('li', {}, link));
      first ??= target.focus;
    }
    this.summary.append(h('p', { class: 'vp-errors-heading' }, heading), list);
    first?.focus();
  }
}
