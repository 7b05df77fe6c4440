import type { OffboardingEvidence } from '~/db/schema';

/** The mails' words. Plain text: every client shows it, and nothing in it can be a tracking pixel. */
export type Mail = { to: string; subject: string; text: string; kind: string; userId?: string | null };

const sign = '\n\n— Plinth';

export const invitationMail = (to: string, o: { orgName: string; inviter: string; link: string; role: string }): Mail => ({
  to,
  kind: 'invitation',
  subject: `${o.inviter} invited you to ${o.orgName} on Plinth`,
  text: `${o.inviter} invited you to join ${o.orgName} as ${o.role}.\n\nAccept: ${o.link}\n\nThe link works once and expires in 7 days. If you did not expect this, ignore this mail.${sign}`,
});

export const passwordResetMail = (to: string, userId: string, o: { link: string; minutes: number }): Mail => ({
  to,
  userId,
  kind: 'password_reset',
  subject: 'Reset your Plinth password',
  text: `Someone (hopefully you) asked to reset the password of this Plinth account.\n\nChoose a new password: ${o.link}\n\nThe link works once and expires in ${o.minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.${sign}`,
});

export const deploymentFailedMail = (to: string, userId: string, o: { orgName: string; name: string; error: string | null; link: string }): Mail => ({
  to,
  userId,
  kind: 'deployment_failed',
  subject: `Deployment ${o.name} failed in ${o.orgName}`,
  text: `The deployment ${o.name} in ${o.orgName} failed${o.error ? `:\n\n  ${o.error}` : '.'}\n\nPlinth keeps retrying with a backoff. Details and "Retry now": ${o.link}${sign}`,
});

/** `detail`: the rollout's own sentence (versions, severity, when: the maintenance window and the latest start). */
export const upgradeScheduledMail = (to: string, userId: string, o: { orgName: string; name: string; version: string | null; detail: string | null; link: string }): Mail => ({
  to,
  userId,
  kind: 'upgrade_scheduled',
  subject: `Upgrade scheduled for ${o.name} in ${o.orgName}`,
  text: `An upgrade of ${o.name}${o.version ? ` to Redis ${o.version}` : ''} is scheduled.${o.detail ? `\n\n${o.detail}` : ''}\n\nYou can upgrade now or defer it from the deployment's page: ${o.link}${sign}`,
});

export const invoiceIssuedMail = (to: string, userId: string, o: { orgName: string; month: string; total: string; link: string }): Mail => ({
  to,
  userId,
  kind: 'invoice_issued',
  subject: `Your Plinth invoice for ${o.month} (${o.orgName})`,
  text: `The invoice of ${o.orgName} for ${o.month} is ${o.total}.\n\nSee it on the Billing page: ${o.link}${sign}`,
});

const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : 'nothing to remove');

/** The deletion receipt: what was removed and when, the final invoice, and where to read it again. */
export const orgDeletedMail = (to: string, userId: string, o: { evidence: OffboardingEvidence; link: string }): Mail => {
  const e = o.evidence;
  const name = e.organization?.name ?? 'Your organization';
  const deployments = (e.deployments ?? []).map((d) => `  - ${d.name} (${d.plan}, ${d.region}): app removed ${when(d.appRemovedAt)}; infrastructure removed ${when(d.infraRemovedAt)}`);
  const invoice = e.invoice
    ? `Final invoice ${e.invoice.number}: ${(e.invoice.totalCents / 100).toFixed(2)} ${e.invoice.currency.toUpperCase()} (${e.invoice.status}${e.invoice.creditsAppliedCents > 0 ? `, ${(e.invoice.creditsAppliedCents / 100).toFixed(2)} of credit applied` : ''}) for usage from ${e.invoice.periodStart.slice(0, 10)} to ${when(e.invoice.periodEnd)}.`
    : 'No final invoice.';
  return {
    to,
    userId,
    kind: 'org_deleted',
    subject: `${name} was deleted — your receipt`,
    text:
      `${name} was deleted on Plinth${e.requestedBy?.email ? ` at the request of ${e.requestedBy.email}` : ''}.\n\n` +
      `Deployments removed (${deployments.length}):\n${deployments.length ? deployments.join('\n') : '  none'}\n\n` +
      `${invoice}${e.subscriptionCancelled ? ' The subscription was cancelled.' : ''}\n\n` +
      `Organization closed ${when(e.closedAt)}. API keys revoked: ${e.apiKeysRevoked ?? 0}. Webhook endpoints disabled: ${e.webhooksDisabled ?? 0}.\n\n` +
      `The receipt stays available here: ${o.link}${sign}`,
  };
};
