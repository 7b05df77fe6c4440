import { NotFoundCard } from '~/components/ui/not-found-page';

export default function AdminNotFound() {
  return <NotFoundCard home="/admin" homeLabel="Back to tenants" />;
}
