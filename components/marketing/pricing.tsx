import Link from 'next/link';
import { buttonClass } from '~/components/ui/button';
import type { Plan } from '~/db/schema';
import { formatPrice, formatRate } from '~/lib/format';

/** The plan cards, straight from the catalog in the database. */
export function Pricing({ plans }: { plans: Plan[] }) {
  return (
    <div className="grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
      {plans.map((plan) => {
        const featured = plan.slug === 'pro';
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
            <p className="mt-6 flex items-baseline gap-1">
              <span className="text-4xl font-semibold tracking-tight text-slate-900">{formatPrice(plan.monthlyPriceCents)}</span>
              <span className="text-sm text-slate-500">/month</span>
            </p>
            <p className="mt-1 text-xs text-slate-500">
              {plan.hourlyRateCentiCents > 0 ? `+ ${formatRate(plan.hourlyRateCentiCents / 100)} per deployment-hour` : 'No usage charges'}
            </p>
            <Link href={`/sign-up?plan=${plan.slug}`} className={`mt-6 ${buttonClass(featured ? 'primary' : 'secondary')}`}>
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
