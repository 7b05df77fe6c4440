import type { ReactNode } from 'react';

export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`rounded-xl border border-slate-200 bg-white shadow-xs ${className}`}>{children}</div>;
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
      </div>
      {actions}
    </div>
  );
}

/** What an empty section says: what will appear here, and how to get it there. */
export function EmptyState({ icon, title, children, action }: { icon: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card className="px-6 py-14 text-center">
      <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">{icon}</div>
      <h2 className="mt-4 text-base font-semibold text-slate-900">{title}</h2>
      <div className="mx-auto mt-2 max-w-md text-sm text-slate-600">{children}</div>
      {action && <div className="mt-6">{action}</div>}
    </Card>
  );
}

export function Badge({ children, tone = 'slate' }: { children: ReactNode; tone?: 'slate' | 'indigo' | 'emerald' | 'amber' | 'red' }) {
  const tones = {
    slate: 'bg-slate-100 text-slate-700',
    indigo: 'bg-indigo-50 text-indigo-700',
    emerald: 'bg-emerald-50 text-emerald-700',
    amber: 'bg-amber-50 text-amber-800',
    red: 'bg-red-50 text-red-700',
  };
  return <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/**
 * A titled card: the console's sections (`md`) and the internal console's denser ones (`sm`). `aside` sits at the
 * right of the title (a link, a filter); `description` under it.
 */
export function Section({
  title,
  aside,
  description,
  children,
  className = '',
  size = 'md',
}: {
  title: string;
  aside?: ReactNode;
  description?: string;
  children: ReactNode;
  className?: string;
  size?: 'sm' | 'md';
}) {
  const sm = size === 'sm';
  return (
    <Card className={className}>
      <div className={`flex items-center justify-between gap-3 border-b border-slate-100 ${sm ? 'px-5 py-3' : 'px-6 py-4'}`}>
        <div>
          <h2 className={`${sm ? 'text-sm' : 'text-base'} font-semibold text-slate-900`}>{title}</h2>
          {description && <p className="mt-0.5 text-sm text-slate-600">{description}</p>}
        </div>
        {aside}
      </div>
      {children}
    </Card>
  );
}

/** One figure with its label: `lg` for numbers watched at a glance, `md` for facts; `alert` turns it red. */
export function Stat({ label, children, hint, alert, size = 'md' }: { label: string; children: ReactNode; hint?: string; alert?: boolean; size?: 'md' | 'lg' }) {
  return (
    <Card className="px-5 py-4">
      <div className="text-xs text-slate-500">{label}</div>
      <div className={`mt-1 ${size === 'lg' ? 'text-2xl font-semibold tabular-nums' : 'text-sm font-medium'} ${alert ? 'text-red-600' : 'text-slate-900'}`}>{children}</div>
      {hint && <div className="mt-0.5 text-xs text-slate-500">{hint}</div>}
    </Card>
  );
}
