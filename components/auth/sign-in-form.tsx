'use client';

import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Button } from '~/components/ui/button';
import { Field, Input } from '~/components/ui/field';

type Errors = { email?: string; password?: string; form?: string };

/** What each sign-in failure means to the person typing, and where it shows. */
const failures: Record<string, Errors> = {
  // One answer whether or not the email has an account: the form must not tell strangers who signs up here.
  invalid_credentials: { form: 'That email and password do not match an account. Check both and try again; if you signed up with GitHub or Google, use that button.' },
  rate_limited: { form: 'Too many sign-in attempts. Wait 15 minutes and try again.' },
  invalid_input: { form: 'Enter your email and password.' },
};

export function SignInForm({ callbackUrl, oauth }: { callbackUrl: string; oauth: Array<{ id: string; name: string }> }) {
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const missing: Errors = {};
    if (!email) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter your password.';
    if (missing.email || missing.password) return setErrors(missing);

    setPending(true);
    setErrors({});
    try {
      const result = await signIn('credentials', { email, password, redirect: false });
      if (result?.error) {
        setErrors(failures[result.code ?? ''] ?? { form: 'Sign-in failed. Try again.' });
        return;
      }
      // A full load, not a client navigation: the landing page (/console) redirects into /o/{slug}/…, which proxy.ts
      // rewrites, and the App Router's soft navigation through that redirect left a blank page. A signed-in session
      // also starts from a clean client state this way.
      window.location.assign(callbackUrl);
    } catch {
      setErrors({ form: 'Could not reach the server. Check your connection and try again.' });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {errors.form && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.form}
        </p>
      )}
      <Field id="email" label="Email" error={errors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" invalid={!!errors.email} autoFocus />
      </Field>
      <Field id="password" label="Password" error={errors.password} hint={<Link href="/forgot-password" className="text-indigo-600 hover:text-indigo-500">Forgot your password?</Link>}>
        <Input id="password" name="password" type="password" autoComplete="current-password" invalid={!!errors.password} />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Sign in
      </Button>
      {oauth.map((p) => (
        <Button key={p.id} type="button" variant="secondary" className="w-full" onClick={() => signIn(p.id, { redirectTo: callbackUrl })}>
          Continue with {p.name}
        </Button>
      ))}
      <p className="text-center text-sm text-slate-600">
        New here?{' '}
        <Link href={`/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-semibold text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
    </form>
  );
}
