'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { RouterOutputs } from '~/lib/api-types';
import { errorMessage } from '~/lib/errors';
import { formatDate } from '~/lib/format';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { Field, Input } from '~/components/ui/field';
import { Table } from '~/components/ui/table';
import { useToast } from '~/components/ui/toast';

type Detail = RouterOutputs['deployments']['get'];
type Snapshot = RouterOutputs['deployments']['snapshots']['snapshots'][number];

const KIND: Record<Snapshot['kind'], string> = { scheduled: 'Daily', manual: 'On request', final: 'Before deletion' };
const STATUS: Record<Snapshot['status'], string> = { pending: 'Being taken…', available: 'Available', failed: 'Failed', deleted: 'Deleted (expired)' };

function size(bytes: number | null): string {
  if (bytes === null) return '—';
  const mb = bytes / 1024 / 1024;
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.max(1, Math.round(mb))} MB`;
}

function useSnapshots(deploymentId: string) {
  const trpc = useTRPC();
  const { org } = useOrg();
  return useQuery({
    ...trpc.deployments.snapshots.queryOptions({ orgId: org.id, deploymentId }),
    // While one is being taken, look again shortly; otherwise the list changes once a day.
    refetchInterval: (q) => (q.state.data?.snapshots.some((s) => s.status === 'pending') ? 2000 : 60_000),
  });
}

/** The deployment's snapshots: take one now, restore one into a new deployment, see what is kept and until when. */
export function Snapshots({ d }: { d: Detail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org, can } = useOrg();
  const q = useSnapshots(d.id);
  const take = useMutation(
    trpc.deployments.takeSnapshot.mutationOptions({
      onSuccess: () => {
        toast('success', `Taking a snapshot of ${d.name}.`);
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.snapshots.queryKey({ orgId: org.id, deploymentId: d.id }) });
      },
    }),
  );
  const [restoring, setRestoring] = useState<Snapshot | null>(null);
  if (q.isPending) return <p className="p-6 text-sm text-slate-500">Loading snapshots…</p>;
  if (q.error) return <p role="alert" className="p-6 text-sm text-red-600">{errorMessage(q.error)}</p>;
  const { retentionDays, planName, snapshots } = q.data;
  const live = d.phase === 'ready' || d.phase === 'stopped';
  return (
    <div data-testid="snapshots">
      <div className="flex flex-wrap items-center justify-between gap-3 px-6 py-4">
        <p className="text-sm text-slate-600">
          {retentionDays > 0
            ? `A snapshot is taken every day and kept ${retentionDays} days. Restoring makes a new deployment; this one is not touched.`
            : `The ${planName} plan does not include snapshots. Starter and above keep daily snapshots.`}
        </p>
        {retentionDays > 0 && can('member') && d.phase !== 'deleted' && !d.deletionRequestedAt && (
          <Button variant="secondary" disabled={!live} pending={take.isPending} onClick={() => take.mutate({ orgId: org.id, deploymentId: d.id })}>
            Take snapshot
          </Button>
        )}
      </div>
      {take.error && (
        <p role="alert" className="px-6 pb-3 text-sm text-red-600">
          {errorMessage(take.error)}
        </p>
      )}
      {snapshots.length === 0 ? (
        <p className="px-6 pb-6 text-sm text-slate-500">{retentionDays > 0 ? 'No snapshots yet. The first daily one is taken within a day.' : 'No snapshots.'}</p>
      ) : (
        <Table columns={[{ label: 'Taken' }, { label: 'Kind' }, { label: 'Status' }, { label: 'Size' }, { label: 'Kept until' }, { label: <span className="sr-only">Actions</span> }]}>
          {snapshots.map((s) => (
            <tr key={s.id} data-testid={`snapshot-${s.kind}`}>
              <td className="px-6 py-3 whitespace-nowrap">{formatDate(s.createdAt, 'dateTime')}</td>
              <td className="px-6 py-3">{KIND[s.kind]}</td>
              <td className="px-6 py-3" data-testid="snapshot-status">
                {STATUS[s.status]}
                {s.status === 'failed' && s.error && <span className="block text-xs text-red-600">{s.error}</span>}
              </td>
              <td className="px-6 py-3">{size(s.sizeBytes)}</td>
              <td className="px-6 py-3 whitespace-nowrap">{s.status === 'available' && s.expiresAt ? formatDate(s.expiresAt) : '—'}</td>
              <td className="px-6 py-3 text-right">
                {s.status === 'available' && can('member') && (
                  <Button variant="secondary" onClick={() => setRestoring(s)}>
                    Restore…
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {restoring && <RestoreDialog d={d} snapshot={restoring} onClose={() => setRestoring(null)} />}
    </div>
  );
}

function RestoreDialog({ d, snapshot, onClose }: { d: Detail; snapshot: Snapshot; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const { org, href } = useOrg();
  const [name, setName] = useState(`${d.name}-restored`.slice(0, 40));
  const [key] = useState(() => crypto.randomUUID());
  const restore = useMutation(
    trpc.deployments.restoreSnapshot.mutationOptions({
      onSuccess: ({ id }) => {
        toast('success', `Restoring into ${name}. It is a new deployment; ${d.name} is not touched.`);
        router.push(href(`/deployments/${id}`));
      },
    }),
  );
  return (
    <Dialog
      open
      onClose={onClose}
      title="Restore to a new deployment"
      description={`A new ${d.planName} deployment is made from the snapshot taken ${formatDate(snapshot.createdAt, 'dateTime')}, with the same plan, region, version and size. ${d.name} keeps running as it is. The new deployment is billed like any other.`}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          restore.mutate({ orgId: org.id, snapshotId: snapshot.id, name, idempotencyKey: key });
        }}
      >
        <div className="px-6 pt-4">
          <Field id="restoreName" label="Name of the new deployment" error={restore.error ? errorMessage(restore.error) : undefined}>
            <Input id="restoreName" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" invalid={!!restore.error} />
          </Field>
        </div>
        <div className="flex flex-wrap items-center justify-end gap-3 px-6 py-4">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" pending={restore.isPending}>
            Restore
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** For the delete form: whether a final snapshot will be kept, and until when. */
export function FinalSnapshotNote({ deploymentId }: { deploymentId: string }) {
  const q = useSnapshots(deploymentId);
  if (!q.data) return null;
  const days = q.data.retentionDays;
  const until = new Date(Date.now() + days * 86_400_000);
  return (
    <p className="text-sm text-slate-600" data-testid="final-snapshot-note">
      {days > 0
        ? `A final snapshot is taken first. It is kept until ${formatDate(until)} (${days} days), and you can restore it into a new deployment until then.`
        : `The ${q.data.planName} plan keeps no snapshots: nothing of the data is kept.`}
    </p>
  );
}
