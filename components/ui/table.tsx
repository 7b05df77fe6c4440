import type { ReactNode } from 'react';

/** Below 640 px each row is a block and each cell a line in it; headings stay for screen readers only. */
export const stackOnPhone = 'max-sm:block max-sm:[&_tbody]:block max-sm:[&_td]:py-1 max-sm:[&_td:not(.hidden)]:block max-sm:[&_tr]:block max-sm:[&_tr]:py-2 max-sm:[&_thead]:sr-only';

export type Column = { label?: ReactNode; className?: string };

/**
 * The list table every console page uses: uppercase muted headings, divided rows. Rows are the children;
 * `dense` is the internal console's tighter padding. Below 640 px the rows stack: each row is a block, each cell a
 * line in it (cells already hidden on small screens stay hidden), and headings are left to screen readers, so a
 * table never makes a phone scroll sideways.
 */
export function Table({ columns, children, dense = false }: { columns: Column[]; children: ReactNode; dense?: boolean }) {
  const pad = dense ? 'px-5' : 'px-6';
  return (
    <table className={`w-full text-left text-sm ${stackOnPhone}`}>
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
