/** Margin arithmetic shared by the server and the Unit economics page. Money is integer minor units (cents). */

/** Hundredths of a cent (how rates and metered amounts are kept) to cents, rounded once, at the end. */
export const centiToCents = (centiCents: number) => Math.round(centiCents / 100);

export type MarginFigures = { revenueCents: number; creditsConsumedCents: number; costCents: number };

/**
 * Gross margin: what the tenant really pays (accrued revenue less the credit it consumed) minus what it costs.
 * The percentage is of that net revenue, one decimal; null when there is none to divide by.
 */
export function margin(f: MarginFigures) {
  const netRevenueCents = f.revenueCents - f.creditsConsumedCents;
  const marginCents = netRevenueCents - f.costCents;
  const marginPct = netRevenueCents > 0 ? Math.round((marginCents * 1000) / netRevenueCents) / 10 : null;
  return { netRevenueCents, marginCents, marginPct, negative: marginCents < 0 };
}

/** Whole months inside [from, to] (inclusive days, YYYY-MM-DD) and the loose days at either end. */
export function splitPeriod(from: string, to: string) {
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000); // exclusive
  const start = new Date(`${from}T00:00:00Z`);
  const firstFull = start.getUTCDate() === 1 ? start : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const endFull = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  if (firstFull >= endFull) return { months: null, days: [[from, iso(end)]] as Array<[string, string]>, end: iso(end) };
  const days: Array<[string, string]> = [];
  if (start < firstFull) days.push([from, iso(firstFull)]);
  if (endFull < end) days.push([iso(endFull), iso(end)]);
  return { months: [iso(firstFull), iso(endFull)] as [string, string], days, end: iso(end) };
}
