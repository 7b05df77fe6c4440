import Link from 'next/link';

export function Logo({ href = '/' }: { href?: string }) {
  return (
    <Link href={href} className="flex items-center gap-2 font-semibold text-slate-900">
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect x="3" y="20" width="26" height="8" rx="2" className="fill-indigo-600" />
        <rect x="8" y="12" width="16" height="6" rx="2" className="fill-indigo-400" />
        <rect x="12" y="4" width="8" height="6" rx="2" className="fill-indigo-300" />
      </svg>
      <span className="text-lg tracking-tight">Plinth</span>
    </Link>
  );
}
