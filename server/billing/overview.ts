/** What the console's Billing and Usage pages read: one service per page, over the ledger and the roll-ups. */
import type { Db } from '~/db/client';
import type { Organization } from '~/db/schema';
import type { OrgActor } from '../actor';
import { creditBalanceCents, listCreditEntries } from './credits';
import { listInvoices, previewInvoice } from './invoices';
import { usageByDeployment, usageSeries, type UsageRange } from './usage';

/** The month so far, past invoices and credits, computed from the local ledger whether or not Stripe is configured. */
export async function billingOverview(db: Db, actor: OrgActor, deps: { org: Organization; paymentsConfigured: boolean }) {
  const { org } = deps;
  const [preview, invoices, credits, balance] = await Promise.all([
    previewInvoice(db, actor.orgId),
    listInvoices(db, actor.orgId),
    listCreditEntries(db, actor.orgId),
    creditBalanceCents(db, actor.orgId),
  ]);
  return {
    preview,
    invoices,
    credits,
    creditBalanceCents: balance,
    payments: { configured: deps.paymentsConfigured, status: org.paymentStatus, pastDueSince: org.pastDueSince, hasCustomer: !!org.stripeCustomerId },
  };
}

export async function usageReport(db: Db, actor: OrgActor, input: { range: UsageRange }) {
  return {
    series: await usageSeries(db, actor.orgId, input.range),
    byDeployment: await usageByDeployment(db, actor.orgId, input.range),
  };
}
