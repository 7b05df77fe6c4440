/** Formatting shared by server and client components. */
export function formatPrice(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

/** Sub-cent rates keep up to four decimals so $0.026 does not read as $0.03, nor $0.0002 as $0.00. */
export function formatRate(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(cents / 100);
}

/** Every way the UI writes a date or time, in one place (en-US; months of billing periods in UTC). */
const dateStyles = {
  /** "Nov 22, 2026" */
  date: { year: 'numeric', month: 'short', day: 'numeric' },
  /** "Nov 22" */
  day: { month: 'short', day: 'numeric' },
  /** "Nov 22, 14" (an hourly chart bucket) */
  dayHour: { month: 'short', day: 'numeric', hour: '2-digit', hour12: false },
  /** "Nov 22, 14:03:07" */
  dateTime: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
  /** "14:03:07" */
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
  /** "14:03" */
  hourMinute: { hour: '2-digit', minute: '2-digit', hour12: false },
  /** "Nov 2026" (a billing month, UTC) */
  month: { month: 'short', year: 'numeric', timeZone: 'UTC' },
  /** "November 2026" (a billing month, UTC) */
  monthLong: { month: 'long', year: 'numeric', timeZone: 'UTC' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateStyle = keyof typeof dateStyles;
const formatters = new Map<DateStyle, Intl.DateTimeFormat>();

export function formatDate(d: Date | string, style: DateStyle = 'date'): string {
  let f = formatters.get(style);
  if (!f) formatters.set(style, (f = new Intl.DateTimeFormat('en-US', dateStyles[style])));
  return f.format(new Date(d));
}

export function formatMemory(mb: number): string {
  return mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`;
}

/** Money on invoices and credits: always two decimals ("$50.00", "-$3.20"). */
export function formatMoney(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}
