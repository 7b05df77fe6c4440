'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Input } from '~/components/ui/field';

export function SignUpForm({ next, signInHref }: { next: string; signInHref: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [formError, setFormError] = useState<string>();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const errors = fieldErrors(signUp.error);
  const generalError = formError ?? (signUp.error && Object.keys(errors).length === 0 ? errorMessage(signUp.error) : undefined);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setFormError(undefined);
    const form = new FormData(e.currentTarget);
    const input = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    try {
      await signUp.mutateAsync(input);
    } catch {
      return; // shown at the fields
    }
    const result = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
    if (result?.error) return setFormError('Your account was created, but signing in failed. Sign in to continue.');
    router.push(next);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {generalError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {generalError}
        </p>
      )}
      <Field id="name" label="Your name" error={errors.name}>
        <Input id="name" name="name" autoComplete="name" invalid={!!errors.name} autoFocus />
      </Field>
      <Field id="email" label="Work email" error={errors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" invalid={!!errors.email} />
      </Field>
      <Field id="password" label="Password" error={errors.password} hint="At least 10 characters. A short sentence works well.">
        <Input id="password" name="password" type="password" autoComplete="new-password" invalid={!!errors.password} />
      </Field>
      <Button type="submit" className="w-full" pending={signUp.isPending}>
        Create account
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href={signInHref} className="font-semibold text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </form>
  );
}
