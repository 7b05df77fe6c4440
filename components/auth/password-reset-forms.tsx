'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Input } from '~/components/ui/field';
import { errorMessage, fieldErrors } from '~/lib/errors';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const errors = fieldErrors(request.error);
  if (request.data) {
    return (
      <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900">
        {request.data.message}
      </p>
    );
  }
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        request.mutate({ email: String(new FormData(e.currentTarget).get('email') ?? '') });
      }}
    >
      <Field id="email" label="Email" error={errors.email ?? (request.error && !errors.email ? errorMessage(request.error) : undefined)}>
        <Input id="email" name="email" type="email" autoComplete="email" invalid={!!request.error} autoFocus />
      </Field>
      <Button type="submit" className="w-full" pending={request.isPending}>
        Send reset link
      </Button>
      <p className="text-center text-sm text-slate-600">
        <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Back to sign in
        </Link>
      </p>
    </form>
  );
}

/** Sets the new password from the mailed link; every session of the account ends. */
export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const errors = fieldErrors(reset.error);
  if (reset.data) {
    return (
      <div role="status" className="space-y-3 text-sm">
        <p className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">Your password was changed. Every session of {reset.data.email} was signed out.</p>
        <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Sign in with the new password
        </Link>
      </div>
    );
  }
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate({ token, newPassword: String(new FormData(e.currentTarget).get('newPassword') ?? '') });
      }}
    >
      <Field id="newPassword" label="New password" error={errors.newPassword} hint="At least 10 characters.">
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" invalid={!!errors.newPassword} autoFocus />
      </Field>
      {reset.error && !errors.newPassword && (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(reset.error)} <Link href="/forgot-password" className="font-semibold text-indigo-600">Ask for a new link</Link>
        </p>
      )}
      <Button type="submit" className="w-full" pending={reset.isPending}>
        Set new password
      </Button>
    </form>
  );
}
