'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { describeWindow, formatOccurrence } from '~/lib/windows';
import { WindowForm } from './window-form';

const when = (d: Date) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d);

/**
 * On a deployment: the deprecated/retired banner with the upgrade path, the scheduled upgrade (upgrade now,
 * defer), and the deployment's own maintenance window.
 */
export function DeploymentUpgrade({ deploymentId }: { deploymentId: string }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const key = { orgId: org.id, deploymentId };
  const q = useQuery({ ...trpc.fleet.deploymentUpgrade.queryOptions(key), refetchInterval: 10_000 });
  const refresh = () => queryClient.invalidateQueries();
  const now = useMutation(trpc.fleet.upgradeNow.mutationOptions({ onSuccess: () => (toast('success', 'Upgrade started.'), refresh()), onError: (e) => toast('error', errorMessage(e)) }));
  const defer = useMutation(trpc.fleet.defer.mutationOptions({ onSuccess: () => (toast('success', 'Upgrade deferred to the next window.'), refresh()), onError: (e) => toast('error', errorMessage(e)) }));
  const setWindow = useMutation(trpc.fleet.setDeploymentWindow.mutationOptions({ onSuccess: () => (toast('success', 'Window saved.'), refresh()) }));
  const [editing, setEditing] = useState(false);
  if (!q.data) return null;
  const { scheduled, version, window, orgWindow, nextWindow } = q.data;
  const effective = window ?? orgWindow;

  return (
    <div className="space-y-4">
      {(version.status === 'deprecated' || version.status === 'retired') && (
        <Card className="border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" >
          <p role="status">
            Redis {version.version} is <strong>{version.status}</strong>
            {version.status === 'retired' ? ' and no longer supported' : ' and will be retired'}.{' '}
            {version.upgradePath ? <>Upgrade path: {version.upgradePath.join(' → ')}.</> : 'Contact support for an upgrade path.'}
          </p>
        </Card>
      )}
      {scheduled && (
        <Card className="border-indigo-200 p-4 text-sm" >
          <p className="font-medium text-slate-900" data-testid="scheduled-upgrade">
            Redis {scheduled.targetVersion}{' '}
            {scheduled.status === 'upgrading'
              ? 'upgrade in progress'
              : scheduled.next && (scheduled.timeZone ? `scheduled for ${formatOccurrence(scheduled.next, scheduled.timeZone)}` : `scheduled from ${when(scheduled.next.start)}`)}
            {scheduled.severity !== 'regular' && <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs text-red-800">{scheduled.severity}</span>}
          </p>
          {scheduled.deadline && <p className="mt-1 text-slate-600">At the latest {when(scheduled.deadline)}.</p>}
          {scheduled.notes && <p className="mt-1 whitespace-pre-line text-slate-600">{scheduled.notes}</p>}
          {scheduled.status !== 'upgrading' && can('member') && (
            <div className="mt-3 flex flex-wrap gap-2">
              <Button size="sm" pending={now.isPending} onClick={() => now.mutate(key)}>
                Upgrade now
              </Button>
              {scheduled.severity === 'regular' && scheduled.defersLeft > 0 && can('admin') && (
                <Button size="sm" variant="secondary" pending={defer.isPending} onClick={() => defer.mutate(key)}>
                  Defer to the next window ({scheduled.defersLeft} left)
                </Button>
              )}
            </div>
          )}
        </Card>
      )}
      <Card className="p-4 text-sm">
        <p className="text-slate-700">
          Maintenance window: {window ? describeWindow(window) : `${describeWindow(orgWindow)} (the organization’s)`}
          {nextWindow && effective && <> · next {formatOccurrence(nextWindow, effective.timeZone)}</>}
        </p>
        {can('admin') && !editing && (
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setEditing(true)}>
            {window ? 'Change this deployment’s window' : 'Give this deployment its own window'}
          </Button>
        )}
        {editing && (
          <div className="mt-3">
            <WindowForm
              idPrefix="deployment-window"
              initial={window}
              pending={setWindow.isPending}
              serverErrors={fieldErrors(setWindow.error)}
              clearLabel="Use the organization’s"
              onSave={(w) => setWindow.mutate({ ...key, window: w }, { onSuccess: () => setEditing(false) })}
            />
          </div>
        )}
      </Card>
    </div>
  );
}
