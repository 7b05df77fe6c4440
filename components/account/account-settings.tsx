'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { signIn, signOut } from 'next-auth/react';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field, Input } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';

/** The signed-in person's own account: name, email (shown), password, and ending every session. */
export function AccountSettings({ hasPassword }: { hasPassword: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const { me } = useOrg();
  const profile = useMutation(trpc.auth.updateProfile.mutationOptions({ onSuccess: () => (toast('success', 'Name saved.'), router.refresh()) }));
  const password = useMutation(trpc.auth.changePassword.mutationOptions());
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({
      onSuccess: () => signOut({ redirectTo: '/sign-in' }),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );
  const profileErrors = fieldErrors(profile.error);
  const passwordErrors = fieldErrors(password.error);

  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="text-base font-semibold text-slate-900">Profile</h2>
        <form
          noValidate
          className="mt-4 max-w-md space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            profile.mutate({ name: String(new FormData(e.currentTarget).get('name') ?? '') });
          }}
        >
          <Field id="account-name" label="Name" error={profileErrors.name ?? (profile.error && !profileErrors.name ? errorMessage(profile.error) : undefined)}>
            <Input id="account-name" name="name" defaultValue={me.name} invalid={!!profile.error} />
          </Field>
          <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-y-2 text-sm">
            <dt className="text-slate-500">Email</dt>
            <dd className="min-w-0 break-all text-slate-800" data-testid="account-email">{me.email}</dd>
          </dl>
          <Button type="submit" pending={profile.isPending}>
            Save
          </Button>
        </form>
      </Card>

      {hasPassword && (
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Password</h2>
          <p className="mt-1 text-sm text-slate-600">Changing it signs you out on every other device.</p>
          <form
            noValidate
            className="mt-4 max-w-md space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              const form = e.currentTarget;
              const data = new FormData(form);
              const currentPassword = String(data.get('currentPassword') ?? '');
              const newPassword = String(data.get('newPassword') ?? '');
              password.mutate(
                { currentPassword, newPassword },
                {
                  // Every session ended with the change, this one too: sign back in with the new password.
                  onSuccess: async ({ email }) => {
                    await signIn('credentials', { email, password: newPassword, redirect: false });
                    form.reset();
                    toast('success', 'Password changed. Other devices are signed out.');
                    router.refresh();
                  },
                },
              );
            }}
          >
            <Field id="current-password" label="Current password" error={passwordErrors.currentPassword}>
              <Input id="current-password" name="currentPassword" type="password" autoComplete="current-password" invalid={!!passwordErrors.currentPassword} />
            </Field>
            <Field id="new-password" label="New password" hint="At least 10 characters." error={passwordErrors.newPassword}>
              <Input id="new-password" name="newPassword" type="password" autoComplete="new-password" invalid={!!passwordErrors.newPassword} />
            </Field>
            {password.error && !passwordErrors.currentPassword && !passwordErrors.newPassword && (
              <p role="alert" className="text-sm text-red-700">{errorMessage(password.error)}</p>
            )}
            <Button type="submit" pending={password.isPending}>
              Change password
            </Button>
          </form>
        </Card>
      )}

      <Card className="p-6">
        <h2 className="text-base font-semibold text-slate-900">Sessions</h2>
        <p className="mt-1 text-sm text-slate-600">Sign out on every browser and device where you are signed in, this one included.</p>
        <Button variant="secondary" className="mt-4" pending={everywhere.isPending} onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </Button>
      </Card>
    </div>
  );
}
