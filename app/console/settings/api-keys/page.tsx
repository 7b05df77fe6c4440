import { PageHeader } from '~/components/ui/card';
import { ApiKeys } from '~/components/settings/api-keys';

export const metadata = { title: 'API keys' };

export default function ApiKeysPage() {
  return (
    <>
      <PageHeader title="API keys" description="Keys for scripts, CI and the plinth command line." />
      <ApiKeys />
    </>
  );
}
