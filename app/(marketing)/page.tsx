import Link from 'next/link';
import { MarketingHeader } from '~/components/marketing/header';
import { Pricing } from '~/components/marketing/pricing';
import { buttonClass } from '~/components/ui/button';
import { getSession, serverApi } from '~/server/api/server';

export default async function LandingPage() {
  const [api, session] = await Promise.all([serverApi(), getSession()]);
  const catalog = await api.catalog.get();
  if (!catalog) throw new Error('The catalog is empty: the seed did not run.');
  const { product, plans, versions, regions } = catalog;

  return (
    <div className="bg-white">
      <MarketingHeader signedIn={!!session?.user} />
      <main id="main">
        <section className="mx-auto max-w-6xl px-6 pt-20 pb-16 text-center">
          <p className="text-sm font-semibold text-indigo-600">{product.name}</p>
          <h1 className="mx-auto mt-3 max-w-3xl text-5xl font-semibold tracking-tight text-balance text-slate-900">{product.tagline}</h1>
          <p className="mx-auto mt-6 max-w-2xl text-lg text-slate-600">{product.description}</p>
          <div className="mt-10 flex justify-center gap-3">
            <Link href="/sign-up" className={buttonClass('primary')}>
              Create a free deployment
            </Link>
            <Link href="#pricing" className={buttonClass('secondary')}>
              See pricing
            </Link>
          </div>
          <dl className="mx-auto mt-16 grid max-w-3xl grid-cols-1 gap-6 text-left sm:grid-cols-3">
            <Fact label="Redis versions" value={versions.map((v) => v.version).join(', ')} />
            <Fact label="Regions" value={regions.map((r) => r.name).join(' · ')} />
            <Fact label="Provisioning" value="Self-service, live status" />
          </dl>
        </section>
        <section id="pricing" className="border-t border-slate-100 bg-slate-50 py-20">
          <div className="mx-auto max-w-6xl px-6">
            <h2 className="text-center text-3xl font-semibold tracking-tight text-slate-900">Pricing</h2>
            <p className="mt-3 text-center text-slate-600">Start free. Upgrade, resize or leave whenever you like — you pay for what runs.</p>
            <div className="mt-12">
              <Pricing plans={plans} />
            </div>
          </div>
        </section>
      </main>
      <footer className="border-t border-slate-200 py-8 text-center text-sm text-slate-500">
        Plinth — the open-source control plane for SaaS products.
      </footer>
    </div>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-xl border border-slate-200 p-4">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-sm font-medium text-slate-900">{value}</dd>
    </div>
  );
}
