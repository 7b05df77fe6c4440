import { describe, expect, it } from 'vitest';
import { formatOccurrence, isOpen, nextOccurrence, windowProblems, zonedInstant } from './windows';

const at = (iso: string) => new Date(iso);

describe('maintenance windows', () => {
  it('puts a window at its local start time in several zones', () => {
    const tue2 = { days: [2], start: '02:00', durationMinutes: 120 };
    // Sunday 22 Nov 2026: the next Tuesday 02:00 local.
    const from = at('2026-11-22T12:00:00Z');
    expect(nextOccurrence({ ...tue2, timeZone: 'Europe/Berlin' }, from).start.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(nextOccurrence({ ...tue2, timeZone: 'America/New_York' }, from).start.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(nextOccurrence({ ...tue2, timeZone: 'Asia/Kolkata' }, from).start.toISOString()).toBe('2026-11-23T20:30:00.000Z');
    expect(nextOccurrence({ ...tue2, timeZone: 'Pacific/Auckland' }, from).start.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect(formatOccurrence(nextOccurrence({ ...tue2, timeZone: 'Europe/Berlin' }, from), 'Europe/Berlin')).toBe('Tue 24 Nov 02:00–04:00 CET');
  });

  it('keeps the local start across a DST change (Europe, spring and autumn; US spring)', () => {
    const daily = { days: [0, 1, 2, 3, 4, 5, 6], start: '03:00', durationMinutes: 60, timeZone: 'Europe/Berlin' };
    // The night of 29 March 2026 clocks go 02:00 → 03:00 CEST: 03:00 CET the day before, 03:00 CEST that day.
    expect(nextOccurrence(daily, at('2026-03-28T12:00:00Z')).start.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(nextOccurrence(daily, at('2026-03-27T12:00:00Z')).start.toISOString()).toBe('2026-03-28T02:00:00.000Z');
    // 25 October 2026: back to CET.
    expect(nextOccurrence(daily, at('2026-10-24T12:00:00Z')).start.toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(nextOccurrence(daily, at('2026-10-23T12:00:00Z')).start.toISOString()).toBe('2026-10-24T01:00:00.000Z');
    // A start inside the skipped hour lands just after the gap; a repeated hour means its first occurrence.
    expect(zonedInstant(2026, 3, 29, 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInstant(2026, 10, 25, 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // US: 8 March 2026.
    const ny = { days: [0], start: '04:00', durationMinutes: 60, timeZone: 'America/New_York' };
    expect(nextOccurrence(ny, at('2026-03-07T12:00:00Z')).start.toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(nextOccurrence(ny, at('2026-02-28T12:00:00Z')).start.toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('is open inside an occurrence (including one that began the day before) and closed outside', () => {
    const w = { days: [1], start: '23:00', durationMinutes: 180, timeZone: 'UTC' };
    expect(isOpen(w, at('2026-11-23T23:30:00Z'))).toBe(true);
    expect(isOpen(w, at('2026-11-24T01:59:00Z'))).toBe(true);
    expect(isOpen(w, at('2026-11-24T02:00:00Z'))).toBe(false);
    expect(isOpen(w, at('2026-11-23T22:59:00Z'))).toBe(false);
    expect(isOpen(null, at('2026-11-23T22:59:00Z'))).toBe(true);
  });

  it('names the field of every bad window', () => {
    const ok = { days: [1, 3], start: '02:00', durationMinutes: 120, timeZone: 'Europe/Berlin' };
    expect(windowProblems(ok)).toEqual({});
    expect(Object.keys(windowProblems({ ...ok, days: [] }))).toEqual(['days']);
    expect(Object.keys(windowProblems({ ...ok, days: [1, 1] }))).toEqual(['days']);
    expect(Object.keys(windowProblems({ ...ok, start: '25:00' }))).toEqual(['start']);
    expect(Object.keys(windowProblems({ ...ok, durationMinutes: 30 }))).toEqual(['durationMinutes']);
    expect(Object.keys(windowProblems({ ...ok, timeZone: 'Mars/Olympus' }))).toEqual(['timeZone']);
    // Monday and Tuesday with 25 hours: Monday's window runs into Tuesday's.
    expect(windowProblems({ ...ok, days: [1, 2], durationMinutes: 24 * 60 })).toEqual({});
    expect(Object.keys(windowProblems({ ...ok, days: [1, 2], durationMinutes: 24 * 60 + 60 }))).toEqual(['durationMinutes']);
  });
});
