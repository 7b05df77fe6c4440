/** Periods of whole UTC days for the Unit economics page (YYYY-MM-DD, both ends inclusive). */
const iso = (d: Date) => d.toISOString().slice(0, 10);

export const periodPresets = {
  '30d': { label: 'Last 30 days', make: (now: Date) => ({ from: iso(new Date(now.getTime() - 29 * 86_400_000)), to: iso(now) }) },
  month: { label: 'This month', make: (now: Date) => ({ from: `${iso(now).slice(0, 7)}-01`, to: iso(now) }) },
  '12m': { label: 'Last 12 months', make: (now: Date) => ({ from: iso(new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1))), to: iso(now) }) },
} as const;
export type PeriodPreset = keyof typeof periodPresets;
