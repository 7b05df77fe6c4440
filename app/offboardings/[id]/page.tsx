import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { OffboardingReceipt } from '~/components/offboarding/receipt';
import { Logo } from '~/components/ui/logo';
import { getQueryClient, Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getSession } from '~/server/api/server';

export const metadata: Metadata = { title: 'Deletion receipt' };

/**
 * A deleted organization's receipt (and, until it is done, its live progress). Outside the console on purpose:
 * the organization's own pages are gone once it closes; this page is for its owners (anyone else: 404).
 */
export default async function OffboardingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!(await getSession())?.user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/offboardings/${id}`)}`);
  const options = trpcServer.orgs.deletionReceipt.queryOptions({ offboardingId: id });
  await prefetch(options);
  const code = (getQueryClient().getQueryState(options.queryKey)?.error as { code?: string } | null)?.code;
  if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') notFound();
  return (
    <div className="mx-auto flex min-h-screen max-w-3xl flex-col gap-6 px-4 py-10">
      <Logo />
      <main id="main">
        <h1 className="mb-4 text-xl font-semibold text-slate-900">Organization deletion</h1>
        <Hydrate>
          <OffboardingReceipt offboardingId={id} />
        </Hydrate>
      </main>
    </div>
  );
}
