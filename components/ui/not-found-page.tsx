import Link from 'next/link';
import { Logo } from './logo';

/** The branded 404: says what happened and offers the way home. Rendered with HTTP status 404 by Next. */
export function NotFoundCard({ home, homeLabel, bare = false }: { home: string; homeLabel: string; bare?: boolean }) {
  return (
    <div className={bare ? 'flex min-h-screen flex-col items-center justify-center px-4 py-12' : 'py-6'} data-testid="not-found">
      {bare && <Logo />}
      <div className={`${bare ? 'mt-8' : ''} mx-auto w-full max-w-md rounded-2xl border border-slate-200 bg-white p-8 text-center shadow-sm`}>
        <p className="text-sm font-semibold text-indigo-600">404</p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">This page does not exist</h1>
        <p className="mt-2 text-sm text-slate-600">
          The link may be mistyped, or what it pointed to was removed — or it belongs to an organization you are not a member of.
        </p>
        <Link href={home} className="mt-6 inline-flex rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
          {homeLabel}
        </Link>
      </div>
    </div>
  );
}
