/**
 * Turns a timeline row's action and data into the sentence support reads. Unknown actions still read sensibly
 * (the action name itself), so a new audit action shows up before anyone writes words for it.
 */
type Data = Record<string, unknown>;
export type Described = { title: string; detail: string | null; tone: 'neutral' | 'good' | 'warn' | 'bad' };

const money = (cents: unknown, currency: unknown = 'usd') =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: String(currency || 'usd').toUpperCase() }).format(Number(cents ?? 0) / 100);
const month = (d: unknown) => (d ? new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(String(d))) : '');
const obj = (v: unknown): Data => (v && typeof v === 'object' ? (v as Data) : {});

function auditText(action: string, target: unknown, before: Data, after: Data): Described {
  switch (action) {
    case 'org.create':
      return { title: 'Organization created', detail: `${after.name ?? ''} (${after.slug ?? ''})`, tone: 'good' };
    case 'org.rename':
      return { title: 'Organization renamed', detail: `${before.name ?? '?'} → ${after.name ?? '?'}`, tone: 'neutral' };
    case 'org.suspend':
      return { title: 'Tenant suspended', detail: after.stopDeployments ? 'Its deployments were also stopped.' : 'Deployments keep running.', tone: 'bad' };
    case 'org.resume':
      return { title: 'Tenant resumed', detail: null, tone: 'good' };
    case 'invitation.create':
      return { title: 'Invitation created', detail: `as ${after.role ?? 'member'}${after.email ? ` for ${after.email}` : ' (anyone with the link)'}`, tone: 'neutral' };
    case 'invitation.accept':
      return { title: 'Invitation accepted', detail: `joined as ${after.role ?? 'member'}`, tone: 'good' };
    case 'invitation.revoke':
      return { title: 'Invitation revoked', detail: null, tone: 'neutral' };
    case 'member.role_change':
      return { title: 'Member role changed', detail: `${before.role ?? '?'} → ${after.role ?? '?'}`, tone: 'neutral' };
    case 'member.remove':
      return { title: 'Member removed', detail: null, tone: 'warn' };
    case 'member.leave':
      return { title: 'Member left', detail: null, tone: 'neutral' };
    case 'deployment.credentials_reveal':
      return { title: 'Credentials revealed', detail: null, tone: 'neutral' };
    case 'org.delete_request':
      return { title: 'Owner asked to delete the organization', detail: `${after.deployments ?? 0} deployment(s) to remove${Number(after.upgradesCancelled) > 0 ? `, ${after.upgradesCancelled} scheduled upgrade(s) cancelled` : ''}`, tone: 'bad' };
    case 'org.delete_deployments':
      return { title: 'Deletion: deployments marked for removal', detail: Array.isArray(after.deployments) && after.deployments.length ? after.deployments.join(', ') : 'none', tone: 'warn' };
    case 'org.delete_deployments_removed':
      return { title: 'Deletion: every deployment removed', detail: Array.isArray(after.deployments) ? `${after.deployments.length} removed (app, then infrastructure)` : null, tone: 'neutral' };
    case 'org.delete_invoice':
      return { title: `Deletion: final invoice ${after.number ?? ''} for ${money(after.totalCents, after.currency)}`, detail: `${after.status ?? ''}${after.subscriptionCancelled ? ', subscription cancelled' : ''}`, tone: 'neutral' };
    case 'org.close':
      return { title: 'Organization closed', detail: `API keys revoked: ${after.apiKeysRevoked ?? 0}, invitations revoked: ${after.invitationsRevoked ?? 0}`, tone: 'bad' };
    case 'org.delete_complete':
      return { title: 'Deletion finished; receipt sent', detail: Array.isArray(after.receiptTo) ? `to ${after.receiptTo.join(', ')}` : null, tone: 'good' };
    case 'credit.issue':
      return { title: `Credit of ${money(after.amountCents, after.currency)} issued`, detail: null, tone: 'good' };
    default:
      return { title: action, detail: typeof target === 'string' ? target : null, tone: 'neutral' };
  }
}

const opTone = { pending: 'neutral', running: 'neutral', succeeded: 'good', failed: 'bad', superseded: 'warn' } as const;

function billingText(action: string, data: Data): Described {
  if (action === 'invoice.created') {
    return {
      title: `Invoice for ${month(data.periodStart)}: ${money(data.totalCents, data.currency)}`,
      detail: `${data.status}${Number(data.creditsAppliedCents) > 0 ? `, ${money(data.creditsAppliedCents, data.currency)} of credit applied` : ''}`,
      tone: 'neutral',
    };
  }
  if (action === 'invoice.paid') return { title: `Payment of ${money(data.totalCents, data.currency)} received`, detail: `invoice for ${month(data.periodStart)}`, tone: 'good' };
  if (action === 'credit.grant') {
    return { title: `Credit of ${money(data.amountCents, data.currency)} granted`, detail: data.expiresAt ? `expires ${String(data.expiresAt).slice(0, 10)}` : 'does not expire', tone: 'good' };
  }
  if (action === 'credit.apply') {
    return { title: `Credit of ${money(-Number(data.amountCents ?? 0), data.currency)} applied to an invoice`, detail: null, tone: 'neutral' };
  }
  if (action.startsWith('credit.')) {
    return { title: `Credit ledger: ${action.slice(7)} ${money(data.amountCents, data.currency)}`, detail: null, tone: 'neutral' };
  }
  if (action.startsWith('stripe.')) return { title: `Stripe webhook: ${data.type}`, detail: String(data.id ?? ''), tone: 'neutral' };
  return { title: action, detail: null, tone: 'neutral' };
}

export function describeEntry(action: string, data: Data): Described {
  if (action.startsWith('operation.')) {
    const status = String(data.status ?? 'pending') as keyof typeof opTone;
    const forced = data.via === 'deployment.force_reconcile';
    return {
      title: forced ? 'Reconcile forced' : String(data.summary ?? action),
      detail: `${status}${data.error ? `: ${data.error}` : ''} · generation ${data.generation}`,
      tone: opTone[status] ?? 'neutral',
    };
  }
  if (action.startsWith('event.')) {
    const level = data.level === 'error' ? 'bad' : data.level === 'warning' ? 'warn' : data.step === 'ready' || data.step === 'deleted' ? 'good' : 'neutral';
    return { title: String(data.message ?? action), detail: `${data.step}${data.durationMs != null ? ` · ${data.durationMs} ms` : ''}`, tone: level };
  }
  if (action === 'staff.view_tenant') return { title: 'Staff viewed this tenant', detail: null, tone: 'neutral' };
  if (action.startsWith('invoice.') || (action.startsWith('credit.') && action !== 'credit.issue') || action.startsWith('stripe.')) return billingText(action, data);
  return auditText(action, data.target, obj(data.before), obj(data.after));
}
