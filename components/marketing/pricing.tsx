import Link from 'next/link';
import { buttonClass } from '~/components/ui/button';
import type { Plan } from '~/db/schema';
import { formatPrice } from '~/lib/format';
import { estimateMonthly, HOURS_PER_MONTH } from '~/lib/pricing';

/**
 * The plan cards, straight from the catalog in the database. The headline is the estimated monthly total for
 * one deployment running all month at the plan's size (the fee alone would understate a bill that also counts
 * hours and storage), with the breakdown under it.
 */
export function Pricing({ plans }: { plans: Plan[] }) {
  return (
    <div className="grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-4">
      {plans.map((plan) => {
        const featured = plan.slug === 'pro';
        const estimate = estimateMonthly(plan, { memoryMb: plan.limits.memoryMb, persistence: plan.limits.persistence });
        return (
          <div
            key={plan.id}
            data-testid={`plan-${plan.slug}`}
            className={`flex flex-col rounded-2xl bg-white p-6 shadow-xs ring-1 ${featured ? 'ring-2 ring-indigo-600' : 'ring-slate-200'}`}
          >
            <div className="flex items-center justify-between">
              <h3 className="text-lg font-semibold text-slate-900">{plan.name}</h3>
              {featured && <span className="rounded-full bg-indigo-50 px-2.5 py-0.5 text-xs font-semibold text-indigo-700">Popular</span>}
            </div>
            <p className="mt-2 text-sm text-slate-600">{plan.summary}</p>
            <p className="mt-6 flex flex-wrap items-baseline gap-1">
              {estimate.totalCents > 0 && <span className="text-sm text-slate-600">≈</span>}
              <span className="text-3xl font-semibold tracking-tight text-slate-900" data-testid={`estimate-${plan.slug}`}>
                {formatPrice(Math.round(estimate.totalCents / 100) * 100)}
              </span>
              <span className="text-sm text-slate-600">/month</span>
            </p>
            {estimate.totalCents > 0 ? (
              <ul className="mt-1 space-y-0.5 text-xs text-slate-600" aria-label={`${plan.name} price breakdown`}>
                {estimate.lines.map((l) => (
                  <li key={l.label} className="flex justify-between gap-2">
                    <span>{l.label}</span>
                    <span className="tabular-nums">{formatPrice(l.cents)}</span>
                  </li>
                ))}
                <li className="pt-0.5 text-slate-500">One deployment at full size, running all {HOURS_PER_MONTH} hours; billed by the hour it runs.</li>
              </ul>
            ) : (
              <p className="mt-1 text-xs text-slate-600">No usage charges</p>
            )}
            <Link href={`/sign-up?plan=${plan.slug}`} data-testid={`choose-${plan.slug}`} className={`mt-6 ${buttonClass(featured ? 'primary' : 'secondary')}`}>
              {plan.monthlyPriceCents === 0 ? 'Start free' : `Choose ${plan.name}`}
            </Link>
            <ul className="mt-6 space-y-2 text-sm text-slate-700">
              {plan.features.map((f) => (
                <li key={f} className="flex gap-2">
                  <svg viewBox="0 0 20 20" className="mt-0.5 size-4 flex-none fill-indigo-600" aria-hidden>
                    <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
                  </svg>
                  {f}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
