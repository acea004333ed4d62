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
import {
  browserTimeZone,
  CENTRE_TIME_ZONE,
  convertSlot,
  minutesOf,
  offsetAt,
  type WeeklyHours,
  zoneCity,
} from './hours';

export type { VolunteerProfileView } from './fields';

const MAX_HOURS = 50;
const MAX_CONTACT = 200;
/** Monday first, as a Korean week is written. */
const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];
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

/** Day names from Intl in the UI language: 2024-01-07 was a Sunday. */
function dayName(day: number, width: 'long' | 'short'): string {
  return new Intl.DateTimeFormat(i18n.language, { weekday: width, timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 7 + day),
  );
}

function slotText(startDay: number, start: string, endDay: number, end: string): string {
  return startDay === endDay
    ? `${dayName(startDay, 'short')} ${start}–${end}`
    : `${dayName(startDay, 'short')} ${start} – ${dayName(endDay, 'short')} ${end}`;
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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

interface HoursRow {
  item: HTMLLIElement;
  legend: HTMLLegendElement;
  day: HTMLSelectElement;
  start: HTMLInputElement;
  end: HTMLInputElement;
  remove: HTMLButtonElement;
  converted: HTMLParagraphElement;
  texts: Texts;
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
  const hoursHint = texts.text(h('p', { class: 'vp-hint', id: uid('vprof-hours-hint') }), () =>
    t('volunteer:hours.hint'),
  );
  const hoursList = h('ol', { class: 'vp-rows' });
  const noHours = texts.text(h('p', { class: 'vp-hint' }), () => t('volunteer:hours.none'));
  const addSlot = texts.text(h('button', { type: 'button', class: 'vp-add' }), () =>
    t('volunteer:hours.add'),
  );
  const hoursFull = texts.text(h('p', { class: 'vp-hint', hidden: true }), () =>
    t('volunteer:hours.full', { max: MAX_HOURS }),
  );
  const hoursGroup = h(
    'fieldset',
    { class: 'vp-group', 'aria-describedby': hoursHint.id },
    texts.text(h('legend'), () => t('volunteer:hours.legend')),
    hoursHint,
    noHours,
    hoursList,
    addSlot,
    hoursFull,
  );
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
    hoursGroup,
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
  timeZone.addEventListener('change', () => rows.forEach(renderConverted));

  // ── hours rows ──
  const rows: HoursRow[] = [];

  function addRow(value: Partial<WeeklyHours>): HoursRow {
    const rowTexts = new Texts();
    const day = h('select', { id: uid('vprof-day') });
    for (const d of DAY_ORDER)
      day.append(rowTexts.text(h('option', { value: String(d) }), () => dayName(d, 'long')));
    day.value = String(value.day ?? 1);
    const start = h('input', { id: uid('vprof-start'), type: 'time', required: true });
    const end = h('input', { id: uid('vprof-end'), type: 'time', required: true });
    start.value = value.start ?? '';
    // <input type="time"> has no 24:00: midnight at the end of the day is 00:00 (the hint says so).
    end.value = value.end === '24:00' ? '00:00' : (value.end ?? '');
    const converted = h('p', { class: 'vp-converted', id: uid('vprof-converted') });
    for (const input of [start, end]) input.setAttribute('aria-describedby', converted.id);
    const remove = rowTexts.text(h('button', { type: 'button', class: 'vp-remove' }), () =>
      t('volunteer:hours.remove'),
    );
    const legend = h('legend');
    const item = h(
      'li',
      {},
      h(
        'fieldset',
        { class: 'vp-row' },
        legend,
        field(rowTexts, day, () => t('volunteer:hours.day')),
        field(rowTexts, start, () => t('volunteer:hours.from')),
        field(rowTexts, end, () => t('volunteer:hours.until')),
        remove,
        converted,
      ),
    );
    const row: HoursRow = { item, legend, day, start, end, remove, converted, texts: rowTexts };
    for (const control of [day, start, end]) control.addEventListener('change', () => renderConverted(row));
    for (const control of [start, end]) control.addEventListener('input', () => renderConverted(row));
    remove.addEventListener('click', () => {
      const index = rows.indexOf(row);
      rows.splice(index, 1);
      item.remove();
      renumber();
      const next = rows[index] ?? rows[index - 1];
      if (next) next.day.focus();
      else addSlot.focus();
    });
    rows.push(row);
    hoursList.append(item);
    renumber();
    renderConverted(row);
    return row;
  }

  function renumber(): void {
    rows.forEach((row, i) => {
      row.legend.textContent = t('volunteer:hours.slotLegend', { n: i + 1 });
      row.remove.setAttribute('aria-label', t('volunteer:hours.removeNamed', { n: i + 1 }));
    });
    noHours.hidden = rows.length > 0;
    addSlot.hidden = rows.length >= MAX_HOURS;
    hoursFull.hidden = rows.length < MAX_HOURS;
  }

  /** Reads a row as the API wants it; `null` while a time is missing. */
  function slotOf(row: HoursRow): WeeklyHours | null {
    if (!row.start.value || !row.end.value) return null;
    return {
      day: Number(row.day.value),
      start: row.start.value,
      end: row.end.value === '00:00' ? '24:00' : row.end.value,
    };
  }

  /** "Mon 19:00–23:00 in Seoul = Mon 17:00–21:00 in Ho Chi Minh", and whether it moves to another day. */
  function renderConverted(row: HoursRow): void {
    const slot = slotOf(row);
    const zone = timeZone.value;
    if (
      !slot ||
      minutesOf(slot.end) <= minutesOf(slot.start) ||
      zone === CENTRE_TIME_ZONE ||
      !isKnownZone(zone)
    ) {
      row.converted.textContent = '';
      row.converted.hidden = true;
      return;
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
    row.converted.textContent = shift ? `${text} ${shift}` : text;
    row.converted.hidden = false;
  }

  addSlot.addEventListener('click', () => {
    const last = rows.at(-1);
    const row = addRow({ day: last ? (Number(last.day.value) + 1) % 7 : 1 });
    row.day.focus();
  });

  // ── filling in, checking, saving ──
  function render(p: VolunteerProfileView | null): void {
    languages.set(p?.languages ?? []);
    fillTimeZones(p?.timeZone ?? browserTimeZone());
    contact.value = p?.contact ?? '';
    for (const row of rows.splice(0)) row.item.remove();
    for (const slot of p?.weeklyHours ?? []) addRow(slot);
    renumber();
  }

  function validate(): FieldIssue[] {
    const issues = languages.validate();
    const slots: (WeeklyHours | null)[] = [];
    rows.forEach((row, i) => {
      if (!row.start.value)
        issues.push({ field: `weeklyHours.${i}.start`, message: t('volunteer:errors.startMissing') });
      if (!row.end.value)
        issues.push({ field: `weeklyHours.${i}.end`, message: t('volunteer:errors.endMissing') });
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
    if (name === 'weeklyHours') {
      return {
        label: t('volunteer:hours.legend'),
        focus: rows[0]?.day ?? addSlot,
        invalid: [],
        host: hoursGroup,
      };
    }
    const m = /^weeklyHours\.(\d+)(?:\.(day|start|end))?/.exec(name);
    const row = m ? rows[Number(m[1])] : undefined;
    if (!m || !row) return null;
    const legend = row.legend.textContent ?? '';
    if (!m[2]) {
      // The whole slot (an overlap): both times are marked, the message sits under the row.
      return {
        label: legend,
        focus: row.start,
        invalid: [row.start, row.end],
        host: row.converted.parentElement ?? row.item,
      };
    }
    const control = m[2] === 'day' ? row.day : m[2] === 'start' ? row.start : row.end;
    return {
      label: `${legend} – ${control.labels?.[0]?.textContent ?? ''}`,
      focus: control,
      invalid: [control],
      host: control.parentElement ?? row.item,
    };
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
      weeklyHours: rows.map(slotOf).filter((s): s is WeeklyHours => s !== null),
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
    for (const row of rows) row.texts.refresh();
    renumber();
    rows.forEach(renderConverted);
  });
}

function loadFailure(err: unknown): string {
  if (!isRequestError(err) || err.code === 'disconnected') return t('volunteer:errors.network');
  if (err.code === 'unauthenticated' || err.code === 'forbidden') return t('volunteer:errors.notSignedIn');
  return t('volunteer:errors.server', { message: err.message });
}
