import { CostModel } from '~/components/staff/cost-model';
import { EconomicsPage } from '~/components/staff/economics-page';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Unit economics' };

/** Guarded here as well as in the layout: the two render in parallel. */
export default async function UnitEconomicsPage() {
  const { me } = await requireStaff();
  return (
    <>
      <PageHeader title="Unit economics" description="What each tenant pays, what it costs to run, and the gross margin between them. Cost is metered hourly from the cost model below and the engines' own figures." />
      <EconomicsPage />
      <div className="mt-10">
        <CostModel admin={me.staffRole === 'admin'} />
      </div>
    </>
  );
}
