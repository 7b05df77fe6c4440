/** The notification mails a person can turn off (Account page). Invitations and password resets always go out. */
export const NOTIFICATION_KINDS = ['deployment_failed', 'upgrade_scheduled', 'invoice_issued'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  deployment_failed: 'A deployment failed',
  upgrade_scheduled: 'An upgrade was scheduled',
  invoice_issued: 'An invoice was issued (owners and admins)',
};
