import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '~/components/auth/sign-up-form';
import { safeRedirect } from '~/lib/safe-redirect';
import { getSession } from '~/server/api/server';

export const metadata: Metadata = { title: 'Create your account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // A plan chosen on the pricing page ("Choose Pro") is carried through onboarding to the create form.
  const plan = typeof params.plan === 'string' && /^[a-z][a-z0-9-]{0,30}$/.test(params.plan) ? params.plan : null;
  const onboarding = plan ? `/onboarding?plan=${plan}` : '/onboarding';
  const home = plan ? `/console/deployments/new?plan=${plan}` : '/console';
  // Invitees go back to their invitation; everyone else names their organization next.
  const next = safeRedirect(params.callbackUrl, onboarding);
  if ((await getSession())?.user) redirect(next === onboarding ? home : next);
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold text-slate-900">Create your account</h1>
      <p className="mb-6 text-sm text-slate-600">Free plan included. No card needed.</p>
      <SignUpForm next={next} signInHref={`/sign-in?callbackUrl=${encodeURIComponent(next === onboarding ? home : next)}`} />
    </>
  );
}
