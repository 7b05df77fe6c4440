'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useOrg } from '~/components/console/org-context';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field, Input } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';

export function OrgSettings() {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const { org, can } = useOrg();
  const rename = useMutation(
    trpc.orgs.rename.mutationOptions({
      onSuccess: () => (toast('success', 'Organization renamed.'), router.refresh()),
    }),
  );
  const leave = useMutation(
    trpc.members.leave.mutationOptions({
      onSuccess: () => window.location.assign('/console'),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );
  const errors = fieldErrors(rename.error);

  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="text-base font-semibold text-slate-900">General</h2>
        <form
          noValidate
          className="mt-4 max-w-md space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ orgId: org.id, name: String(new FormData(e.currentTarget).get('name') ?? '') });
          }}
        >
          <Field
            id="org-name"
            label="Organization name"
            error={errors.name ?? (rename.error && !errors.name ? errorMessage(rename.error) : undefined)}
            hint={can('admin') ? undefined : 'Only owners and admins can rename the organization.'}
          >
            <Input id="org-name" name="name" defaultValue={org.name} disabled={!can('admin')} invalid={!!rename.error} />
          </Field>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Slug</dt>
            <dd className="font-mono text-slate-800">{org.slug}</dd>
            <dt className="text-slate-500">Organization ID</dt>
            <dd className="font-mono text-slate-800">{org.id}</dd>
            <dt className="text-slate-500">Your role</dt>
            <dd className="text-slate-800">{org.role}</dd>
          </dl>
          {can('admin') && (
            <Button type="submit" pending={rename.isPending}>
              Save
            </Button>
          )}
        </form>
      </Card>
      <Card className="border-red-200 p-6">
        <h2 className="text-base font-semibold text-slate-900">Leave organization</h2>
        <p className="mt-1 text-sm text-slate-600">You lose access to its deployments at once. An owner can invite you back.</p>
        <Button
          variant="danger"
          className="mt-4"
          pending={leave.isPending}
          onClick={() => window.confirm(`Leave ${org.name}?`) && leave.mutate({ orgId: org.id })}
        >
          Leave {org.name}
        </Button>
      </Card>
    </div>
  );
}
