import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '~/components/auth/sign-up-form';
import { safeRedirect } from '~/lib/safe-redirect';
import { getSession } from '~/server/api/server';

export const metadata: Metadata = { title: 'Create your account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Invitees go back to their invitation; everyone else names their organization next.
  const next = safeRedirect(params.callbackUrl, '/onboarding');
  if ((await getSession())?.user) redirect(next === '/onboarding' ? '/console' : next);
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold text-slate-900">Create your account</h1>
      <p className="mb-6 text-sm text-slate-600">Free plan included. No card needed.</p>
      <SignUpForm next={next} signInHref={`/sign-in?callbackUrl=${encodeURIComponent(next === '/onboarding' ? '/console' : next)}`} />
    </>
  );
}
