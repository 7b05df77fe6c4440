'use client';

import { formatPrice } from '~/lib/format';
import { estimateMonthly, formatChange, type PricedPlan, type PricedSpec } from '~/lib/pricing';

/**
 * The estimated monthly total of a deployment with its line-by-line breakdown, and — when `before` is given (a
 * resize, a plan change) — the change against what it costs today. The same function the server re-checks
 * the quote with (lib/pricing.ts), so what is shown is what is confirmed.
 */
export function PriceEstimate({ plan, spec, before, error }: { plan: PricedPlan; spec: PricedSpec; before?: { plan: PricedPlan; spec: PricedSpec }; error?: string }) {
  const now = estimateMonthly(plan, spec);
  const today = before ? estimateMonthly(before.plan, before.spec).totalCents : 0;
  const delta = now.totalCents - today;
  return (
    <div className="min-w-0 text-sm text-slate-700" data-testid="price-summary">
      <p>
        <span className="text-slate-600">Estimated monthly total: </span>
        <span className="font-semibold text-slate-900" data-testid="price-total">
          {formatPrice(now.totalCents)}/month
        </span>
      </p>
      <ul className="mt-1 space-y-0.5 text-xs text-slate-600" aria-label="Price breakdown">
        {now.lines.map((l) => (
          <li key={l.label} className="flex justify-between gap-4">
            <span className="min-w-0">{l.label}</span>
            <span className="tabular-nums">{formatPrice(l.cents)}</span>
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-slate-600" data-testid="price-change">
        {before ? (
          <>
            Today {formatPrice(today)}/month → change: <span className="font-medium text-slate-900">{formatChange(delta)}</span>
          </>
        ) : (
          <>
            Adds <span className="font-medium text-slate-900">{formatChange(delta)}</span> to your bill, charged by the hour it runs.
          </>
        )}
      </p>
      {error && (
        <p role="alert" className="mt-2 text-red-600" data-testid="quote-error">
          {error}
        </p>
      )}
    </div>
  );
}
