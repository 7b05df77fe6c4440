'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RouterOutputs } from '~/lib/api-types';
import { errorMessage } from '~/lib/errors';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { useToast } from '~/components/ui/toast';

type Detail = RouterOutputs['deployments']['get'];

/** Stop (scale to zero, keep data, stop compute billing) or start, after a confirmation that says exactly that. */
export function RunStateButton({ d }: { d: Detail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org } = useOrg();
  const [open, setOpen] = useState(false);
  const stopped = d.spec.state === 'stopped';
  const options = {
    onSuccess: () => {
      setOpen(false);
      toast('success', stopped ? `Starting ${d.name}.` : `Stopping ${d.name}. Its data is kept.`);
      void queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ orgId: org.id, deploymentId: d.id }) });
    },
  };
  const stop = useMutation(trpc.deployments.stop.mutationOptions(options));
  const start = useMutation(trpc.deployments.start.mutationOptions(options));
  const m = stopped ? start : stop;
  return (
    <>
      <Button variant={stopped ? 'primary' : 'secondary'} onClick={() => (m.reset(), setOpen(true))}>
        {stopped ? 'Start' : 'Stop'}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={stopped ? `Start ${d.name}?` : `Stop ${d.name}?`}
        description={
          stopped
            ? 'The app starts again on its kept data and infrastructure; compute is billed again once it is ready.'
            : 'The app is scaled to zero: clients cannot connect until you start it again. Its infrastructure and data are kept, and only storage is billed while it is stopped.'
        }
      >
        <div className="flex flex-wrap items-center justify-end gap-3 px-6 py-4">
          {m.error && (
            <p role="alert" className="mr-auto text-sm text-red-600">
              {errorMessage(m.error)}
            </p>
          )}
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant={stopped ? 'primary' : 'danger'} pending={m.isPending} onClick={() => m.mutate({ orgId: org.id, deploymentId: d.id, expectedGeneration: d.generation })}>
            {stopped ? 'Start deployment' : 'Stop deployment'}
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/** What continuous resync found: drift (healed, or kept for staff) and degradation, in the customer's words. */
export function Day2Notices({ d }: { d: Detail }) {
  const drift = d.conditions.find((c) => c.type === 'Drifted');
  const degraded = d.conditions.find((c) => c.type === 'Degraded' && c.status);
  return (
    <>
      {drift?.status && (
        <div role="status" data-testid="drift-notice" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          <p className="font-semibold">Changed outside Plinth</p>
          <p className="mt-1">{drift.message}. Plinth has left it as it is for this plan; our staff have been alerted.</p>
        </div>
      )}
      {drift && !drift.status && drift.message?.startsWith('healed: ') && (
        <div role="status" data-testid="drift-notice" className="rounded-xl border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
          <p className="font-semibold">A change made outside Plinth was undone</p>
          <p className="mt-1">
            {drift.message.slice('healed: '.length)} — re-applied your settings {new Date(drift.at).toLocaleString()}.
          </p>
        </div>
      )}
      {degraded && (
        <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-semibold">Degraded</p>
          <p className="mt-1">
            {degraded.message}. Plinth has tried {degraded.recoveries ?? 0} automatic recovery action{degraded.recoveries === 1 ? '' : 's'}.
          </p>
        </div>
      )}
    </>
  );
}
