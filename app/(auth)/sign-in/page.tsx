import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '~/components/auth/sign-in-form';
import { safeRedirect } from '~/lib/safe-redirect';
import { getSession } from '~/server/api/server';
import { oauthProviders } from '~/server/auth';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeRedirect(params.callbackUrl, '/console');
  if ((await getSession())?.user) redirect(callbackUrl);
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold text-slate-900">Sign in</h1>
      <p className="mb-6 text-sm text-slate-600">Welcome back. Sign in to manage your deployments.</p>
      <SignInForm callbackUrl={callbackUrl} oauth={oauthProviders()} />
    </>
  );
}
