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
