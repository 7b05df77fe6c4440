import Link from 'next/link';
import { buttonClass } from '~/components/ui/button';
import { Logo } from '~/components/ui/logo';

export function MarketingHeader({ signedIn }: { signedIn: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white/80 backdrop-blur">
      <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
        <Logo />
        <nav className="flex items-center gap-3 text-sm">
          <Link href="/#pricing" className="hidden px-2 font-medium text-slate-700 hover:text-slate-900 sm:block">
            Pricing
          </Link>
          {signedIn ? (
            <Link href="/console" className={buttonClass('primary')}>
              Open console
            </Link>
          ) : (
            <>
              <Link href="/sign-in" className="px-2 font-medium text-slate-700 hover:text-slate-900">
                Sign in
              </Link>
              <Link href="/sign-up" className={buttonClass('primary')}>
                Get started
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
