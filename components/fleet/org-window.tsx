'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Card } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { fieldErrors } from '~/lib/errors';
import { describeWindow, formatOccurrence } from '~/lib/windows';
import { WindowForm } from './window-form';

/** The organization's maintenance window (Settings): when rollouts may upgrade its deployments. */
export function OrgWindow() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const q = useQuery(trpc.fleet.window.queryOptions({ orgId: org.id }));
  const save = useMutation(
    trpc.fleet.setWindow.mutationOptions({
      onSuccess: async (r) => {
        toast('success', r.window ? 'Maintenance window saved.' : 'Maintenance window removed: upgrades may run any time.');
        await queryClient.invalidateQueries({ queryKey: trpc.fleet.window.queryKey({ orgId: org.id }) });
      },
    }),
  );
  return (
    <Card className="p-6" >
      <h2 className="text-base font-semibold text-slate-900">Maintenance window</h2>
      <p className="mt-1 text-sm text-slate-600">
        Scheduled upgrades of your deployments run only in this weekly window (a deployment can have its own). Without one, they may run any time.
      </p>
      {q.data && (
        <p className="mt-3 text-sm text-slate-800" data-testid="org-window-summary">
          {describeWindow(q.data.window)}
          {q.data.next && q.data.window && <> · next: {formatOccurrence(q.data.next, q.data.window.timeZone)}</>}
        </p>
      )}
      {q.data && (
        <div className="mt-4 max-w-xl">
          <WindowForm
            key={JSON.stringify(q.data.window)}
            idPrefix="org-window"
            initial={q.data.window}
            disabled={!can('admin')}
            pending={save.isPending}
            serverErrors={fieldErrors(save.error)}
            clearLabel="Any time"
            onSave={(window) => save.mutate({ orgId: org.id, window })}
          />
          {!can('admin') && <p className="mt-2 text-sm text-slate-500">Only owners and admins can change the window.</p>}
        </div>
      )}
    </Card>
  );
}
