import { ApiReference, type Doc } from '~/components/api-reference/reference';
import { PageHeader } from '~/components/ui/card';
import { openApiDocument } from '~/server/rest/openapi';

export const metadata = { title: 'API reference' };

export default function ApiReferencePage() {
  return (
    <>
      <PageHeader title="API reference" description="The REST API, generated from the same schemas the API validates with." />
      <ApiReference doc={openApiDocument() as unknown as Doc} />
    </>
  );
}
