'use client';

import { useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field, Input, Select } from '~/components/ui/field';
import { DAY_NAMES, windowProblems, type MaintenanceWindow } from '~/lib/windows';

/** Zones offered first; any IANA name the browser knows is accepted too (typed in). */
const COMMON_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];

/**
 * A weekly maintenance window: days, start, hours, time zone. Checked here with the server's own rules
 * (lib/windows.ts) so a mistake shows at its field before anything is sent; the server's field errors show too.
 */
export function WindowForm({
  idPrefix,
  initial,
  disabled,
  pending,
  serverErrors,
  clearLabel,
  onSave,
}: {
  idPrefix: string;
  initial: MaintenanceWindow | null;
  disabled?: boolean;
  pending?: boolean;
  serverErrors: Record<string, string | undefined>;
  clearLabel: string;
  onSave: (w: MaintenanceWindow | null) => void;
}) {
  const browserZone = typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';
  const [days, setDays] = useState<number[]>(initial?.days ?? [2]);
  const [start, setStart] = useState(initial?.start ?? '02:00');
  const [hours, setHours] = useState(String((initial?.durationMinutes ?? 120) / 60));
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? browserZone);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const zones = COMMON_ZONES.includes(timeZone) ? COMMON_ZONES : [timeZone, ...COMMON_ZONES];
  const err = (k: keyof MaintenanceWindow) => local[k] ?? serverErrors[`window.${k}`];

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const w = { days, start, durationMinutes: Math.round(Number(hours) * 60), timeZone };
        const problems = windowProblems(w);
        setLocal(problems);
        if (Object.keys(problems).length === 0) onSave(w);
      }}
    >
      <fieldset disabled={disabled}>
        <legend className="text-sm font-medium text-slate-800">Days</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {DAY_NAMES.map((name, i) => (
            <label key={name} className="flex items-center gap-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                name={`${idPrefix}-day`}
                value={i}
                checked={days.includes(i)}
                onChange={(e) => setDays(e.target.checked ? [...days, i] : days.filter((d) => d !== i))}
              />
              {name}
            </label>
          ))}
        </div>
        {err('days') && <p className="mt-1 text-sm text-red-700">{err('days')}</p>}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id={`${idPrefix}-start`} label="Start (local time)" error={err('start')}>
          <Input id={`${idPrefix}-start`} type="time" value={start} onChange={(e) => setStart(e.target.value)} disabled={disabled} invalid={!!err('start')} />
        </Field>
        <Field id={`${idPrefix}-hours`} label="Duration (hours)" error={err('durationMinutes')}>
          <Input id={`${idPrefix}-hours`} type="number" min={1} max={24} step={0.5} value={hours} onChange={(e) => setHours(e.target.value)} disabled={disabled} invalid={!!err('durationMinutes')} />
        </Field>
        <Field id={`${idPrefix}-zone`} label="Time zone" error={err('timeZone')}>
          <Select id={`${idPrefix}-zone`} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} disabled={disabled} invalid={!!err('timeZone')}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {!disabled && (
        <div className="flex gap-2">
          <Button type="submit" pending={pending}>
            Save window
          </Button>
          {initial && (
            <Button type="button" variant="secondary" onClick={() => onSave(null)}>
              {clearLabel}
            </Button>
          )}
        </div>
      )}
    </form>
  );
}
