'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { CopyButton } from '~/components/ui/copy-button';
import { Field, Input, Select } from '~/components/ui/field';
import { roleLabels } from '~/lib/roles';

/** Creates an invitation link; the link is shown once, since only its hash is stored. */
export function InviteForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const [link, setLink] = useState<string>();
  const create = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: (inv) => {
        setLink(`${window.location.origin}/invite/${inv.token}`);
        void queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey({ orgId: org.id }) });
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const roles = (can('owner') ? ['owner', 'admin', 'member', 'viewer'] : ['admin', 'member', 'viewer']) as Array<keyof typeof roleLabels>;

  return (
    <div>
      <form
        noValidate
        className="grid grid-cols-1 gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          create.mutate({ orgId: org.id, role: String(form.get('role')) as 'member', email: String(form.get('email') ?? '') });
        }}
      >
        <Field id="invite-email" label="Email (optional)" error={errors.email} hint="Leave empty for a link anyone you send it to can use.">
          <Input id="invite-email" name="email" type="email" placeholder="teammate@company.com" invalid={!!errors.email} />
        </Field>
        <Field id="invite-role" label="Role" error={errors.role}>
          <Select id="invite-role" name="role" defaultValue="member">
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" className="sm:mt-7" pending={create.isPending}>
          Create invitation link
        </Button>
      </form>
      {create.error && !errors.email && !errors.role && (
        <p role="alert" className="mt-3 text-sm text-red-600">
          {errorMessage(create.error)}
        </p>
      )}
      {link && (
        <div className="mt-4 rounded-lg border border-emerald-200 bg-emerald-50 p-4">
          <p className="text-sm font-medium text-emerald-900">Invitation created. Send this link — it is shown only once and expires in 7 days.</p>
          <div className="mt-2 flex gap-2">
            <Input readOnly value={link} aria-label="Invitation link" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={link} />
          </div>
        </div>
      )}
    </div>
  );
}
