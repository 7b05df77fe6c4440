'use client';

import type { RouterOutputs } from '~/lib/api-types';
import { formatDate } from '~/lib/format';
import { OFFBOARDING_STEPS, stepState } from '~/lib/offboarding';

export type Offboarding = NonNullable<RouterOutputs['orgs']['deletion']>;

const finishedAt = (o: Offboarding, step: (typeof OFFBOARDING_STEPS)[number]['step']) =>
  ({ deployments: o.deploymentsDoneAt, invoice: o.invoicedAt, close: o.closedAt, receipt: o.receiptSentAt })[step];

/** The deletion's steps, each done, running or still to come, with what the running one is waiting for. */
export function OffboardingProgress({ o }: { o: Offboarding }) {
  return (
    <ol className="space-y-3" data-testid="offboarding-steps" aria-label="Deletion progress">
      {OFFBOARDING_STEPS.map((s, i) => {
        const state = stepState(s.step, o.step);
        const at = finishedAt(o, s.step);
        return (
          <li key={s.step} className="flex gap-3" data-step={s.step} data-state={state}>
            <span
              aria-hidden
              className={`mt-0.5 flex size-6 flex-none items-center justify-center rounded-full text-xs font-semibold ${
                state === 'done' ? 'bg-emerald-600 text-white' : state === 'running' ? 'bg-indigo-600 text-white' : 'bg-slate-200 text-slate-600'
              }`}
            >
              {state === 'done' ? '✓' : i + 1}
            </span>
            <div className="min-w-0">
              <p className="text-sm font-medium text-slate-900">
                {s.label}{' '}
                <span className="font-normal text-slate-600">
                  — {state === 'done' ? `done${at ? ` at ${formatDate(at, 'dateTime')}` : ''}` : state === 'running' ? 'in progress' : 'waiting'}
                </span>
              </p>
              <p className="text-xs text-slate-600">{s.detail}</p>
              {state === 'running' && s.step === 'deployments' && o.progress.total > 0 && (
                <p className="mt-1 text-xs text-slate-700" data-testid="offboarding-deployments">
                  {o.progress.removed} of {o.progress.total} deployment{o.progress.total === 1 ? '' : 's'} removed
                  {o.progress.remaining.length > 0 && <>: still removing {o.progress.remaining.map((d) => d.name).join(', ')}</>}
                </p>
              )}
              {state === 'running' && s.step === 'deployments' && o.progress.remaining.some((d) => d.lastError) && (
                <p className="mt-1 text-xs text-amber-800">
                  A removal failed and is retried automatically: {o.progress.remaining.find((d) => d.lastError)?.lastError}
                </p>
              )}
              {state === 'running' && o.lastError && (
                <p className="mt-1 text-xs text-amber-800" role="status">
                  This step failed and is retried automatically ({o.attempts} attempt{o.attempts === 1 ? '' : 's'} so far): {o.lastError}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
