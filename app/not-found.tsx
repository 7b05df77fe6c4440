import type { Metadata } from 'next';
import { NotFoundCard } from '~/components/ui/not-found-page';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <main id="main">
      <NotFoundCard home="/console" homeLabel="Go to your console" bare />
    </main>
  );
}
