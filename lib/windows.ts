/**
 * Weekly maintenance windows in the customer's time zone, computed with Intl only (no time-zone library): the
 * wall-clock start of each day is turned into an instant with that zone's offset at that moment, so a window
 * keeps its local start time across a DST change. Client-safe: the console shows the same occurrences.
 */
import type { MaintenanceWindow } from '~/db/schema';

export type { MaintenanceWindow };
export type Occurrence = { start: Date; end: Date };

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MIN = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `at` in `timeZone`. */
export function wallClock(at: Date, timeZone: string) {
  const p: Record<string, string> = {};
  for (const { type, value } of partsFormatter(timeZone).formatToParts(at)) p[type] = value;
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute!, second: +p.second!, weekday: DAY_NAMES.indexOf(p.weekday as (typeof DAY_NAMES)[number]) };
}

/** The zone's offset from UTC at `at`, in ms (CET: +3600000). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(new Date(at), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a spring-forward change (02:30 on that
 * night in Europe) is read with the offset before the change, so it lands just after the gap (03:30); a time that
 * happens twice in the autumn is its first occurrence.
 */
export function zonedInstant(y: number, m: number, d: number, h: number, min: number, timeZone: string): Date {
  const asUtc = Date.UTC(y, m - 1, d, h, min);
  // The offset half a day before and the one at the first reading cover any single change on that day.
  const before = offsetAt(asUtc - 43_200_000, timeZone);
  const after = offsetAt(asUtc - before, timeZone);
  const valid = [asUtc - before, asUtc - after].filter((x) => x + offsetAt(x, timeZone) === asUtc);
  return new Date(valid.length ? Math.min(...valid) : asUtc - before);
}

export function parseStart(start: string): { hour: number; minute: number } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(start);
  return m ? { hour: +m[1]!, minute: +m[2]! } : null;
}

/**
 * The window occurrence open at `from`, or else the next one to start. Null window: any time (open now, for
 * ever). Looks from the day before (an occurrence that started yesterday may still be open) to eight days on.
 */
export function nextOccurrence(w: MaintenanceWindow | null, from: Date): Occurrence {
  if (!w) return { start: from, end: new Date(8.64e15) };
  const s = parseStart(w.start)!;
  const today = wallClock(from, w.timeZone);
  const base = Date.UTC(today.year, today.month - 1, today.day);
  for (let i = -2; i <= 8; i++) {
    const day = new Date(base + i * 86_400_000);
    if (!w.days.includes(day.getUTCDay())) continue;
    const start = zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), s.hour, s.minute, w.timeZone);
    const end = new Date(start.getTime() + w.durationMinutes * MIN);
    if (end.getTime() > from.getTime()) return { start, end };
  }
  throw new Error('nextOccurrence: a window with no days');
}

/** True when the window is open at `at`. */
export function isOpen(w: MaintenanceWindow | null, at: Date): boolean {
  return nextOccurrence(w, at).start.getTime() <= at.getTime();
}

/** Problems with a window, by field, in words the form shows; empty when it is valid. */
export function windowProblems(w: MaintenanceWindow): Partial<Record<keyof MaintenanceWindow, string>> {
  const out: Partial<Record<keyof MaintenanceWindow, string>> = {};
  if (w.days.length === 0) out.days = 'Choose at least one day.';
  else if (new Set(w.days).size !== w.days.length) out.days = 'Choose each day once.';
  else if (w.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) out.days = 'Choose days from Sunday to Saturday.';
  if (!parseStart(w.start)) out.start = 'Enter a start time as HH:MM (24-hour), e.g. 02:00.';
  if (!Number.isInteger(w.durationMinutes) || w.durationMinutes < 60) out.durationMinutes = 'Make the window at least 1 hour long.';
  else if (w.durationMinutes > 24 * 60) out.durationMinutes = 'Make the window at most 24 hours long.';
  else if (!out.days && w.days.length > 1) {
    // Two occurrences must not overlap: the gap between consecutive chosen days must be at least the duration.
    const sorted = [...w.days].sort((a, b) => a - b);
    const gaps = sorted.map((d, i) => ((sorted[(i + 1) % sorted.length]! - d + 7) % 7 || 7) * 24 * 60);
    if (Math.min(...gaps) < w.durationMinutes) out.durationMinutes = 'The window is longer than the time between two chosen days, so two windows would overlap. Shorten it or choose days further apart.';
  }
  if (!isTimeZone(w.timeZone)) out.timeZone = `"${w.timeZone}" is not a time zone we know. Choose one from the list, e.g. Europe/Berlin.`;
  return out;
}

/** "Tue 02:00–04:00 CET" for an occurrence, in the window's zone. */
export function formatOccurrence(o: Occurrence, timeZone: string, locale = 'en-GB'): string {
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(o.start);
  const time = (d: Date, zone: boolean) =>
    new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(zone ? { timeZoneName: 'short' } : {}) }).format(d);
  return `${day} ${time(o.start, false)}–${time(o.end, true)}`;
}

/** "Mon, Wed 02:00 for 2 h (Europe/Berlin)". */
export function describeWindow(w: MaintenanceWindow | null): string {
  if (!w) return 'Any time';
  const days = [...w.days].sort((a, b) => a - b).map((d) => DAY_NAMES[d]).join(', ');
  const h = w.durationMinutes / 60;
  return `${days} ${w.start} for ${Number.isInteger(h) ? h : h.toFixed(1)} h (${w.timeZone})`;
}
