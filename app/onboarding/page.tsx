import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { CreateOrgForm } from '~/components/console/create-org-form';
import { Logo } from '~/components/ui/logo';
import { receiptPath } from '~/lib/offboarding';
import { getSession, serverApi } from '~/server/api/server';

export const metadata: Metadata = { title: 'Name your organization' };

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { plan } = await searchParams;
  // Chosen on the pricing page: the organization opens on the create form with that plan selected.
  const then = typeof plan === 'string' && /^[a-z][a-z0-9-]{0,30}$/.test(plan) ? `/deployments/new?plan=${plan}` : '/deployments';
  if (!(await getSession())?.user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(typeof plan === 'string' ? `/onboarding?plan=${plan}` : '/onboarding')}`);
  const api = await serverApi();
  const me = await api.auth.me().catch(() => null);
  // An owner whose last organization was deleted lands here: their receipts stay one click away.
  const deletions = await api.orgs.deletions().catch(() => []);
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Logo />
      <div className="mt-8 w-full max-w-sm rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-xs font-semibold tracking-wide text-indigo-600 uppercase">Step 2 of 2</p>
        <h1 className="mt-1 mb-1 text-xl font-semibold text-slate-900">Name your organization</h1>
        <p className="mb-6 text-sm text-slate-600">Deployments, billing and teammates belong to an organization.</p>
        <CreateOrgForm then={then} />
      </div>
      {deletions.length > 0 && (
        <div className="mt-6 w-full max-w-sm text-sm text-slate-600" data-testid="deletion-receipts">
          <p>Deleted organizations:</p>
          <ul className="mt-1 space-y-1">
            {deletions.map((d) => (
              <li key={d.id}>
                <Link href={receiptPath(d.id)} className="font-medium text-indigo-700 hover:underline">
                  {d.orgName} — {d.completedAt ? 'receipt' : 'deletion in progress'} →
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {me && me.staffRole !== 'none' && (
        <Link href="/admin" className="mt-6 text-sm font-medium text-amber-800 hover:text-amber-900">
          Staff? Go to the internal console →
        </Link>
      )}
    </div>
  );
}
