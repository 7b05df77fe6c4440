'use client';

import { useMutation } from '@tanstack/react-query';
import { consoleHref } from '~/lib/console-href';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Input } from '~/components/ui/field';

/** Names a new organization, then switches the console to it. */
export function CreateOrgForm({ submitLabel = 'Continue', then = '/deployments' }: { submitLabel?: string; then?: string }) {
  const trpc = useTRPC();
  const create = useMutation(
    trpc.orgs.create.mutationOptions({
      onSuccess: (org) => {
        window.location.assign(consoleHref(org.slug, then));
      },
    }),
  );
  const errors = fieldErrors(create.error);
  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: String(new FormData(e.currentTarget).get('name') ?? '') });
      }}
    >
      <Field id="org-name" label="Organization name" error={errors.name ?? (create.error && !errors.name ? errorMessage(create.error) : undefined)} hint="Usually your company or team. You can rename it later.">
        <Input id="org-name" name="name" placeholder="Acme Inc." invalid={!!create.error} autoFocus />
      </Field>
      <Button type="submit" className="w-full" pending={create.isPending || create.isSuccess}>
        {submitLabel}
      </Button>
    </form>
  );
}
