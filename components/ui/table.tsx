import type { ReactNode } from 'react';

export type Column = { label?: ReactNode; className?: string };

/**
 * The list table every console page uses: uppercase muted headings, divided rows. Rows are the children;
 * `dense` is the internal console's tighter padding.
 */
export function Table({ columns, children, dense = false }: { columns: Column[]; children: ReactNode; dense?: boolean }) {
  const pad = dense ? 'px-5' : 'px-6';
  return (
    <table className="w-full text-left text-sm">
      <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
        <tr>
          {columns.map((c, i) => (
            <th key={i} className={`${pad} py-3 ${c.label ? 'font-medium' : ''} ${c.className ?? ''}`.trim()}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}
