/**
 * Invoices from the local ledger: plan fees (prorated by the deployment-hours run on each plan), usage × rates,
 * minus credits. The preview covers the current month so far; closing a month writes the invoice and applies
 * credit from the ledger (soonest-expiring grant first) in one transaction.
 */
import { emitEvent } from '../events';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '~/db/client';
import { creditEntries, invoices, plans, usageEvents, usageOrgHourly, type InvoiceLine } from '~/db/schema';
import { formatRate } from '~/lib/format';
import { openGrants } from './credits';
import { METERS, STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR } from './rates';

export const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
export const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
/** Three decimals: a deployment a few minutes old shows 0.083 hours, not 0. */
const round1 = (n: number) => Math.round(n * 1000) / 1000;

/** Lines for usage in [start, end); `end` may be now (preview) or the month's end (close). */
export async function invoiceLines(db: DbOrTx, orgId: string, start: Date, end: Date): Promise<InvoiceLine[]> {
  const usage = await db
    .select({
      plan: usageEvents.planSlug,
      meter: usageEvents.meter,
      quantity: sql<number>`sum(${usageEvents.quantity})`,
      amount: sql<number>`sum(${usageEvents.amountCentiCents})::float8`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.orgId, orgId), gte(usageEvents.hourStart, start), lt(usageEvents.hourStart, end)))
    .groupBy(usageEvents.planSlug, usageEvents.meter);
  const planRows = await db.select().from(plans);
  const planBySlug = new Map(planRows.map((p) => [p.slug, p]));
  const hoursInMonth = (nextMonth(start).getTime() - monthStart(start).getTime()) / 3_600_000;
  const lines: InvoiceLine[] = [];
  for (const u of usage.filter((x) => x.meter === 'deployment_hours').sort((a, b) => a.plan.localeCompare(b.plan))) {
    const plan = planBySlug.get(u.plan);
    const hours = Number(u.quantity);
    if (plan && plan.monthlyPriceCents > 0) {
      lines.push({
        kind: 'plan',
        description: `${plan.name} plan — ${round1(hours)} of ${hoursInMonth} hours this month`,
        quantity: round1(hours),
        unit: 'hours',
        amountCents: Math.round((plan.monthlyPriceCents * hours) / hoursInMonth),
      });
    }
    if (Number(u.amount) > 0) {
      lines.push({
        kind: 'usage',
        description: `${plan?.name ?? u.plan} ${METERS.deployment_hours.label.toLowerCase()} — ${round1(hours)} h × ${formatRate((plan?.hourlyRateCentiCents ?? 0) / 100)}`,
        quantity: round1(hours),
        unit: 'hours',
        amountCents: Math.round(Number(u.amount) / 100),
      });
    }
  }
  const storage = usage.filter((x) => x.meter === 'storage_gb_hours');
  const gbHours = storage.reduce((a, s) => a + Number(s.quantity), 0);
  if (gbHours > 0) {
    lines.push({
      kind: 'usage',
      description: `Storage — ${round1(gbHours)} GB-hours × ${formatRate(STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR / 100)}`,
      quantity: round1(gbHours),
      unit: 'GB-hours',
      amountCents: Math.round(storage.reduce((a, s) => a + Number(s.amount), 0) / 100),
    });
  }
  return lines;
}

const sum = (lines: InvoiceLine[]) => lines.reduce((a, l) => a + l.amountCents, 0);

/** The current month so far, with the credit that would be applied if it closed now. */
export async function previewInvoice(db: DbOrTx, orgId: string, now = new Date()) {
  const start = monthStart(now);
  const lines = await invoiceLines(db, orgId, start, now);
  const subtotalCents = sum(lines);
  const balance = (await openGrants(db, orgId, now)).reduce((a, g) => a + g.remainingCents, 0);
  const creditsAppliedCents = Math.min(balance, subtotalCents);
  return { periodStart: start, periodEnd: nextMonth(start), lines, subtotalCents, creditsAppliedCents, totalCents: subtotalCents - creditsAppliedCents, creditBalanceCents: balance };
}

/** Writes the invoice for the month starting at `start`, once; re-running returns the existing one. */
export async function closeMonth(db: Db, orgId: string, start: Date) {
  return db.transaction((tx) => writeInvoice(tx, orgId, start, nextMonth(start)));
}

/**
 * Writes the invoice for usage in [start, end) and applies credit to it (soonest-expiring grant first), once per
 * org and period start: re-running returns the existing invoice. A month's close has `end` = the next month; an
 * organization's final invoice (server/offboarding/) ends when it was closed, and says so (`final`).
 */
export async function writeInvoice(tx: Tx, orgId: string, start: Date, end: Date, o: { final?: boolean } = {}) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`invoice:${orgId}`}))`);
  const [existing] = await tx.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.periodStart, start)));
  if (existing) return existing;
  const lines = await invoiceLines(tx, orgId, start, end);
  const subtotalCents = sum(lines);
  let remaining = subtotalCents;
  const applications: Array<{ grantId: string; cents: number; reason: string }> = [];
  for (const g of await openGrants(tx, orgId, end)) {
    if (remaining <= 0) break;
    const cents = Math.min(g.remainingCents, remaining);
    applications.push({ grantId: g.id, cents, reason: g.reason });
    remaining -= cents;
  }
  const applied = subtotalCents - remaining;
  const allLines: InvoiceLine[] = [
    ...lines,
    ...applications.map((a) => ({ kind: 'credit' as const, description: `Credit: ${a.reason}`, quantity: 1, unit: 'credit', amountCents: -a.cents })),
  ];
  const [invoice] = await tx
    .insert(invoices)
    .values({ orgId, periodStart: start, periodEnd: end, status: remaining === 0 ? 'paid' : 'open', subtotalCents, creditsAppliedCents: applied, totalCents: remaining, lines: allLines, paidAt: remaining === 0 ? new Date() : null })
    .returning();
  for (const a of applications) {
    await tx.insert(creditEntries).values({ orgId, kind: 'apply', amountCents: -a.cents, reason: `Applied to ${o.final ? 'the final invoice' : 'invoice'} for ${start.toISOString().slice(0, 7)}`, grantId: a.grantId, invoiceId: invoice!.id });
  }
  await emitEvent(tx, {
    orgId,
    type: 'invoice.issued',
    data: { invoiceId: invoice!.id, periodStart: start.toISOString(), periodEnd: end.toISOString(), totalCents: remaining, currency: invoice!.currency, status: invoice!.status, ...(o.final ? { final: true } : {}) },
  });
  return invoice!;
}

/**
 * Closes last month for every org that had usage in it and has no invoice yet. It runs every tick, so looking
 * only at last month (in the small org-hour roll-up) is enough; re-running is safe.
 */
export async function closeFinishedMonths(db: Db, now = new Date()) {
  const thisMonth = monthStart(now);
  const lastMonth = monthStart(new Date(thisMonth.getTime() - 1));
  const due = await db
    .selectDistinct({ orgId: usageOrgHourly.orgId })
    .from(usageOrgHourly)
    .where(
      and(
        gte(usageOrgHourly.hourStart, lastMonth),
        lt(usageOrgHourly.hourStart, thisMonth),
        sql`not exists (select 1 from ${invoices} i where i.org_id = ${usageOrgHourly.orgId} and i.period_start = ${lastMonth.toISOString()}::timestamptz)`,
      ),
    );
  for (const r of due) await closeMonth(db, r.orgId, lastMonth);
  return due.length;
}

export async function listInvoices(db: DbOrTx, orgId: string) {
  return db.select().from(invoices).where(eq(invoices.orgId, orgId)).orderBy(desc(invoices.periodStart));
}
