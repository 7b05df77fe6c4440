import { MailOutbox } from '~/components/staff/mail-outbox';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Mail' };

export default async function MailPage() {
  await requireStaff();
  return (
    <>
      <PageHeader title="Mail" description="Everything Plinth queued, newest 100. Without SMTP_URL nothing is sent: this is where the mail is." />
      <MailOutbox />
    </>
  );
}
