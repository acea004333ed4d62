/**
 * Weekly hours in Korea time, one row per slot (day, from, until), each also shown in the volunteer's
 * own zone. Shared by the registration form and the profile editor. Rendered with lit-html from its
 * rows: a language change or a new row is a re-render, and `repeat()` keys rows so that focus and
 * typed times survive it.
 */
import { html, render, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { i18n, t } from '../i18n';
import type { FieldIssue, FieldTarget } from './fields';
import { CENTRE_TIME_ZONE, convertSlot, minutesOf, type WeeklyHours, zoneCity } from './hours';

export const MAX_HOURS = 50;
/** Monday first, as a Korean week is written. */
const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** Day names from Intl in the UI language: 2024-01-07 was a Sunday. */
export function dayName(day: number, width: 'long' | 'short'): string {
  return new Intl.DateTimeFormat(i18n.language, { weekday: width, timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 7 + day),
  );
}

export function slotText(startDay: number, start: string, endDay: number, end: string): string {
  return startDay === endDay
    ? `${dayName(startDay, 'short')} ${start}–${end}`
    : `${dayName(startDay, 'short')} ${start} – ${dayName(endDay, 'short')} ${end}`;
}

export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface HoursRow {
  /** Stable for the row's life: it keys the row in `repeat()` and names its controls' ids. */
  key: number;
  day: number;
  /** 'HH:MM' as the time input gives it; '' while empty. An end at midnight is '00:00'. */
  start: string;
  end: string;
}

let editors = 0;

export class HoursEditor {
  readonly element: HTMLDivElement;
  readonly #prefix: string;
  /** Tells this editor's ids from another's on the same page. */
  readonly #editor = ++editors;
  readonly #zone: () => string;
  #rows: HoursRow[] = [];
  #nextKey = 1;

  /** `zone` is the volunteer's own time zone, read at each render. */
  constructor(prefix: string, zone: () => string) {
    this.#prefix = prefix;
    this.#zone = zone;
    this.element = document.createElement('div');
    this.render();
  }

  set(hours: readonly WeeklyHours[]): void {
    this.#rows = hours.map((h) => ({
      key: this.#nextKey++,
      day: h.day,
      start: h.start,
      // <input type="time"> has no 24:00: midnight at the end of the day is 00:00 (the hint says so).
      end: h.end === '24:00' ? '00:00' : h.end,
    }));
    this.render();
  }

  /** The complete slots, as the API wants them. */
  values(): WeeklyHours[] {
    return this.#rows.map(slotOf).filter((s): s is WeeklyHours => s !== null);
  }

  /** The same rules as the server, with paths the server would use (`weeklyHours.2.end`). */
  validate(): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const slots: (WeeklyHours | null)[] = [];
    this.#rows.forEach((row, i) => {
      if (!row.start)
        issues.push({ field: `weeklyHours.${i}.start`, message: t('volunteer:errors.startMissing') });
      if (!row.end) issues.push({ field: `weeklyHours.${i}.end`, message: t('volunteer:errors.endMissing') });
      const slot = slotOf(row);
      if (slot && minutesOf(slot.end) <= minutesOf(slot.start)) {
        issues.push({ field: `weeklyHours.${i}.end`, message: t('volunteer:errors.endBeforeStart') });
        slots.push(null);
        return;
      }
      const clash = slots.findIndex(
        (other) =>
          other !== null &&
          slot !== null &&
          other.day === slot.day &&
          other.start < slot.end &&
          slot.start < other.end,
      );
      if (clash !== -1 && slot) {
        issues.push({ field: `weeklyHours.${i}`, message: t('volunteer:errors.overlap', { n: clash + 1 }) });
      }
      slots.push(slot);
    });
    return issues;
  }

  /** Where an issue about `weeklyHours…` shows. */
  target(field: string): FieldTarget | null {
    const group = this.element.querySelector<HTMLFieldSetElement>('fieldset.vp-group');
    if (field === 'weeklyHours') {
      const focus = this.#control(this.#rows[0], 'day') ?? this.#addButton();
      return group && focus ? { label: t('volunteer:hours.legend'), focus, invalid: [], host: group } : null;
    }
    const m = /^weeklyHours\.(\d+)(?:\.(day|start|end))?/.exec(field);
    const row = m ? this.#rows[Number(m[1])] : undefined;
    if (!m || !row) return null;
    const legend = t('volunteer:hours.slotLegend', { n: Number(m[1]) + 1 });
    if (!m[2]) {
      // The whole slot (an overlap): both times are marked, the message sits under the row.
      const start = this.#control(row, 'start');
      const end = this.#control(row, 'end');
      const host = start?.closest('fieldset');
      return start && end && host ? { label: legend, focus: start, invalid: [start, end], host } : null;
    }
    const control = this.#control(row, m[2] as 'day' | 'start' | 'end');
    const host = control?.parentElement;
    if (!control || !host) return null;
    return {
      label: `${legend} – ${control.labels?.[0]?.textContent ?? ''}`,
      focus: control,
      invalid: [control],
      host,
    };
  }

  /** Renders again, in the UI language of now and for the zone of now. */
  render(): void {
    render(this.#template(), this.element);
  }

  #id(row: HoursRow, part: string): string {
    return `${this.#prefix}-${part}-${this.#editor}-${row.key}`;
  }

  #control(row: HoursRow | undefined, part: 'day' | 'start' | 'end') {
    if (!row) return null;
    return this.element.querySelector<HTMLInputElement | HTMLSelectElement>(`#${this.#id(row, part)}`);
  }

  #addButton(): HTMLButtonElement | null {
    return this.element.querySelector<HTMLButtonElement>('button.vp-add');
  }

  #add(): void {
    const last = this.#rows.at(-1);
    const row: HoursRow = { key: this.#nextKey++, day: last ? (last.day + 1) % 7 : 1, start: '', end: '' };
    this.#rows = [...this.#rows, row];
    this.render();
    this.#control(row, 'day')?.focus();
  }

  #remove(row: HoursRow): void {
    const index = this.#rows.indexOf(row);
    this.#rows = this.#rows.filter((r) => r !== row);
    this.render();
    // Focus stays in the list: the row that took this one's place, else the one before, else Add.
    const next = this.#rows[index] ?? this.#rows[index - 1];
    (this.#control(next, 'day') ?? this.#addButton())?.focus();
  }

  #update(row: HoursRow, change: Partial<HoursRow>): void {
    Object.assign(row, change);
    this.render();
  }

  /** "Mon 19:00–23:00 in Seoul = Mon 17:00–21:00 in Ho Chi Minh", and whether it moves to another day. */
  #converted(row: HoursRow): string {
    const slot = slotOf(row);
    const zone = this.#zone();
    if (
      !slot ||
      minutesOf(slot.end) <= minutesOf(slot.start) ||
      zone === CENTRE_TIME_ZONE ||
      !isKnownZone(zone)
    ) {
      return '';
    }
    const local = convertSlot(slot, zone);
    const text = t('volunteer:hours.converted', {
      seoul: slotText(slot.day, slot.start, slot.day, slot.end),
      local: slotText(local.startDay, local.start, local.endDay, local.end),
      zone: zoneCity(zone),
    });
    const shift =
      local.dayShift === -1
        ? t('volunteer:hours.dayBefore')
        : local.dayShift === 1
          ? t('volunteer:hours.dayAfter')
          : '';
    return shift ? `${text} ${shift}` : text;
  }

  #rowTemplate(row: HoursRow, i: number): TemplateResult {
    const converted = this.#converted(row);
    const time = (part: 'start' | 'end') => (event: Event) =>
      this.#update(row, { [part]: (event.target as HTMLInputElement).value });
    return html`<li>
      <fieldset class="vp-row">
        <legend>${t('volunteer:hours.slotLegend', { n: i + 1 })}</legend>
        <div class="vp-field">
          <label for=${this.#id(row, 'day')}>${t('volunteer:hours.day')}</label>
          <select
            id=${this.#id(row, 'day')}
            @change=${(event: Event) => this.#update(row, { day: Number((event.target as HTMLSelectElement).value) })}
          >
            ${DAY_ORDER.map(
              (d) =>
                html`<option value=${String(d)} ?selected=${d === row.day}>${dayName(d, 'long')}</option>`,
            )}
          </select>
        </div>
        <div class="vp-field">
          <label for=${this.#id(row, 'start')}>${t('volunteer:hours.from')}</label>
          <input
            id=${this.#id(row, 'start')}
            type="time"
            required
            aria-describedby=${this.#id(row, 'converted')}
            .value=${row.start}
            @input=${time('start')}
          />
        </div>
        <div class="vp-field">
          <label for=${this.#id(row, 'end')}>${t('volunteer:hours.until')}</label>
          <input
            id=${this.#id(row, 'end')}
            type="time"
            required
            aria-describedby=${this.#id(row, 'converted')}
            .value=${row.end}
            @input=${time('end')}
          />
        </div>
        <button
          type="button"
          class="vp-remove"
          aria-label=${t('volunteer:hours.removeNamed', { n: i + 1 })}
          @click=${() => this.#remove(row)}
        >
          ${t('volunteer:hours.remove')}
        </button>
        <p class="vp-converted" id=${this.#id(row, 'converted')} ?hidden=${!converted}>${converted}</p>
      </fieldset>
    </li>`;
  }

  #template(): TemplateResult {
    const full = this.#rows.length >= MAX_HOURS;
    const hintId = `${this.#prefix}-hours-hint-${this.#editor}`;
    return html`<fieldset class="vp-group vp-hours" aria-describedby=${hintId}>
      <legend>${t('volunteer:hours.legend')}</legend>
      <p class="vp-hint" id=${hintId}>${t('volunteer:hours.hint')}</p>
      <p class="vp-hint" ?hidden=${this.#rows.length > 0}>${t('volunteer:hours.none')}</p>
      <ol class="vp-rows">
        ${repeat(
          this.#rows,
          (row) => row.key,
          (row, i) => this.#rowTemplate(row, i),
        )}
      </ol>
      <button type="button" class="vp-add" ?hidden=${full} @click=${() => this.#add()}>
        ${t('volunteer:hours.add')}
      </button>
      <p class="vp-hint" ?hidden=${!full}>${t('volunteer:hours.full', { max: MAX_HOURS })}</p>
    </fieldset>`;
  }
}

/** A row as the API wants it; `null` while a time is missing. */
function slotOf(row: HoursRow): WeeklyHours | null {
  if (!row.start || !row.end) return null;
  return { day: row.day, start: row.start, end: row.end === '00:00' ? '24:00' : row.end };
}
