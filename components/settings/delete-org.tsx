'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { OffboardingProgress } from '~/components/offboarding/progress';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Dialog } from '~/components/ui/dialog';
import { Field, Input } from '~/components/ui/field';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { OFFBOARDING_STEPS, receiptPath } from '~/lib/offboarding';

/**
 * The danger zone: deleting the organization (owners only, the name typed to confirm), then its progress, live,
 * until the organization closes — then the receipt page, which outlives it.
 */
export function DeleteOrg() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const deletion = useQuery({
    ...trpc.orgs.deletion.queryOptions({ orgId: org.id }),
    refetchInterval: (q) => (q.state.data ? 1500 : false),
    retry: false,
  });
  const remove = useMutation(
    trpc.orgs.delete.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        void queryClient.invalidateQueries(trpc.orgs.deletion.queryFilter({ orgId: org.id }));
      },
    }),
  );
  const o = deletion.data;
  // Once closed the organization is gone from the console (its pages answer 404): the receipt page is not.
  const closed = (o && (o.step === 'receipt' || o.step === 'done')) || (deletion.error as { data?: { code?: string } } | null)?.data?.code === 'NOT_FOUND';
  const receiptId = o?.id;
  const isOwner = can('owner');
  useEffect(() => {
    if (!closed) return;
    window.location.assign(isOwner && receiptId ? receiptPath(receiptId) : '/console');
  }, [closed, receiptId, isOwner]);
  const errors = fieldErrors(remove.error);

  if (o) {
    return (
      <Card className="border-red-200 p-6">
        <h2 className="text-base font-semibold text-slate-900" id="deletion-progress">
          Deleting {org.name}
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          This runs by itself and survives restarts; you can leave this page. {isOwner ? 'When it is done you get a receipt by mail.' : 'The owners get a receipt by mail when it is done.'}
        </p>
        <OffboardingProgress o={o} />
        {isOwner && (
          <p className="mt-4 text-sm">
            <Link href={receiptPath(o.id)} className="font-medium text-indigo-700 hover:underline">
              Receipt page (it stays available after the organization is closed) →
            </Link>
          </p>
        )}
      </Card>
    );
  }

  return (
    <Card className="border-red-200 p-6">
      <h2 className="text-base font-semibold text-slate-900">Delete organization</h2>
      <p className="mt-1 text-sm text-slate-600">
        Removes every deployment and its data, writes the final invoice and closes the organization for everyone in it. This cannot be undone.
      </p>
      <Button variant="danger" className="mt-4" disabled={!isOwner} aria-describedby={isOwner ? undefined : 'delete-org-why'} onClick={() => (remove.reset(), setTyped(''), setOpen(true))}>
        Delete {org.name}…
      </Button>
      {!isOwner && (
        <p id="delete-org-why" className="mt-2 text-xs text-slate-600" data-testid="delete-org-why">
          Only an owner can delete the organization; you are {org.role === 'admin' ? 'an' : 'a'} {org.role}.
        </p>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete ${org.name}?`} description="In one go, in this order:">
        <form
          noValidate
          className="space-y-4 px-6 py-4"
          onSubmit={(e) => {
            e.preventDefault();
            remove.mutate({ orgId: org.id, confirmName: typed });
          }}
        >
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
            {OFFBOARDING_STEPS.map((s) => (
              <li key={s.step}>
                <span className="font-medium text-slate-900">{s.label}.</span> {s.detail}
              </li>
            ))}
          </ol>
          <p className="text-sm text-slate-700">From the moment you confirm, nothing in the organization can be changed. Data in the deployments is not kept.</p>
          <Field id="confirm-org-name" label={`Type ${org.name} to confirm`} error={errors.confirmName ?? (remove.error && !errors.confirmName ? errorMessage(remove.error) : undefined)}>
            <Input id="confirm-org-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" invalid={!!remove.error} />
          </Field>
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" pending={remove.isPending} disabled={typed.trim() !== org.name}>
              Delete organization
            </Button>
          </div>
        </form>
      </Dialog>
    </Card>
  );
}
