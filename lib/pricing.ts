/**
 * The estimated monthly bill of one deployment, as the invoice will compute it (server/billing/invoices.ts):
 * the plan fee (prorated by the hours the deployment runs, so a full month is the whole fee), plus every
 * deployment-hour at the plan's rate, plus storage GB-hours. Shared by the forms (what the customer sees) and the
 * commands (the quote they confirmed is re-checked against it), so the two cannot disagree.
 */
import { formatPrice, formatRate } from './format';

/** An average month (365 × 24 / 12): the estimate is for a typical month, not this one's 28–31 days. */
export const HOURS_PER_MONTH = 730;
/** $0.0002 per GB-hour, in hundredths of a cent (the storage meter's rate). */
export const STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR = 2;

export type PricedPlan = { name: string; monthlyPriceCents: number; hourlyRateCentiCents: number };
export type PricedSpec = { memoryMb: number; persistence: boolean };
export type EstimateLine = { label: string; cents: number };
export type Estimate = { lines: EstimateLine[]; totalCents: number };

/** Disk a persistent deployment is billed for: twice its memory, at least 1 GB; none without persistence. */
export function storageGb(spec: PricedSpec): number {
  return spec.persistence ? Math.max(1, Math.ceil((spec.memoryMb * 2) / 1024)) : 0;
}

export function estimateMonthly(plan: PricedPlan, spec: PricedSpec): Estimate {
  const lines: EstimateLine[] = [{ label: `${plan.name} plan fee`, cents: plan.monthlyPriceCents }];
  if (plan.hourlyRateCentiCents > 0) {
    lines.push({
      label: `${HOURS_PER_MONTH} deployment-hours × ${formatRate(plan.hourlyRateCentiCents / 100)}`,
      cents: Math.round((HOURS_PER_MONTH * plan.hourlyRateCentiCents) / 100),
    });
  }
  const gb = storageGb(spec);
  if (gb > 0) {
    lines.push({
      label: `Storage ${gb} GB × ${HOURS_PER_MONTH} h × ${formatRate(STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR / 100)}`,
      cents: Math.round((gb * HOURS_PER_MONTH * STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR) / 100),
    });
  }
  return { lines, totalCents: lines.reduce((a, l) => a + l.cents, 0) };
}

/** "+$12.40/month" / "−$3/month" / "no change". */
export function formatChange(deltaCents: number): string {
  if (deltaCents === 0) return 'no change';
  return `${deltaCents > 0 ? '+' : '−'}${formatPrice(Math.abs(deltaCents))}/month`;
}
