/**
 * Weekly hours are stored in the centre's time zone (Asia/Seoul); a volunteer also sees each slot in
 * their own zone. Pure functions over Intl, no DOM, so they can be unit-tested in Node.
 */
export const CENTRE_TIME_ZONE = 'Asia/Seoul';

/** The store's shape: day 0 = Sunday, 'HH:MM', end may be '24:00'. */
export interface WeeklyHours {
  day: number;
  start: string;
  end: string;
}

/** A slot as it falls in another zone: `endDay` differs from `startDay` when it runs past midnight. */
export interface ZonedSlot {
  startDay: number;
  start: string;
  endDay: number;
  end: string;
  /** -1 when it starts on the day before the centre's day, +1 the day after. */
  dayShift: -1 | 0 | 1;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading of an instant in a zone. */
export function wallTime(at: number, timeZone: string): WallTime {
  const out: WallTime = { year: 0, month: 0, day: 0, weekday: 0, hour: 0, minute: 0 };
  for (const p of partsFormat(timeZone).formatToParts(at)) {
    if (p.type === 'year') out.year = Number(p.value);
    else if (p.type === 'month') out.month = Number(p.value);
    else if (p.type === 'day') out.day = Number(p.value);
    else if (p.type === 'weekday') out.weekday = WEEKDAYS[p.value] ?? 0;
    else if (p.type === 'hour') out.hour = Number(p.value) % 24;
    else if (p.type === 'minute') out.minute = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at an instant, in ms. */
export function offsetAt(at: number, timeZone: string): number {
  const w = wallTime(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(at / MINUTE) * MINUTE;
}

/** The instant a wall-clock time (Date.UTC-style fields, hour may be 24) happens in a zone. */
function instantOf(timeZone: string, year: number, month: number, day: number, hour: number, minute: number) {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let at = wall - offsetAt(wall, timeZone);
  // A second pass settles a guess that landed across a daylight-saving change.
  at = wall - offsetAt(at, timeZone);
  return at;
}

const hhmm = (hour: number, minute: number) =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

function parseTime(value: string): { hour: number; minute: number } {
  const [h, m] = value.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/**
 * Where a centre-time slot falls in `toZone`, for its next occurrence from `reference` (so daylight
 * saving is that of the coming week). An end at local midnight reads '24:00' of the start day.
 */
export function convertSlot(
  slot: WeeklyHours,
  toZone: string,
  reference = Date.now(),
  fromZone = CENTRE_TIME_ZONE,
): ZonedSlot {
  const today = wallTime(reference, fromZone);
  const ahead = (slot.day - today.weekday + 7) % 7;
  const start = parseTime(slot.start);
  const end = parseTime(slot.end);
  const startAt = instantOf(fromZone, today.year, today.month, today.day + ahead, start.hour, start.minute);
  const endAt = instantOf(fromZone, today.year, today.month, today.day + ahead, end.hour, end.minute);
  const s = wallTime(startAt, toZone);
  const e = wallTime(endAt, toZone);
  let endDay = e.weekday;
  let endText = hhmm(e.hour, e.minute);
  if (endText === '00:00' && endAt > startAt && endAt - startAt <= DAY && (s.weekday + 1) % 7 === e.weekday) {
    endDay = s.weekday;
    endText = '24:00';
  }
  const diff = (s.weekday - slot.day + 7) % 7;
  return {
    startDay: s.weekday,
    start: hhmm(s.hour, s.minute),
    endDay,
    end: endText,
    dayShift: diff === 0 ? 0 : diff === 1 ? 1 : -1,
  };
}

/** 'HH:MM' → minutes; '24:00' → 1440. NaN when malformed. */
export function minutesOf(value: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return Number.NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 && Number(m[2]) < 60 ? minutes : Number.NaN;
}

/** The browser's own zone, or the centre's if the browser does not say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || CENTRE_TIME_ZONE;
  } catch {
    return CENTRE_TIME_ZONE;
  }
}

/** The city part of an IANA name: 'America/Argentina/Buenos_Aires' → 'Buenos Aires'. */
export function zoneCity(timeZone: string): string {
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replaceAll('_', ' ');
}
