'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/components/providers';
import { Badge, Card } from '~/components/ui/card';
import { errorMessage } from '~/lib/errors';
import { formatDate } from '~/lib/format';

/** The local mail outbox: what Plinth queued, and whether SMTP sent it. Without SMTP_URL, this is the mail. */
export function MailOutbox() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.staff.mail.outbox.queryOptions(), refetchInterval: 5000 });
  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading mail…</Card>;
  if (q.error) return <Card className="p-6 text-sm text-red-600">{errorMessage(q.error)}</Card>;
  if (q.data.length === 0) return <Card className="p-6 text-sm text-slate-500">No mail yet.</Card>;
  return (
    <div className="space-y-3" data-testid="mail-outbox">
      {q.data.map((m) => (
        <Card key={m.id} className="p-5">
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="font-medium text-slate-900" data-testid="mail-subject">{m.subject}</span>
            <Badge tone={m.sentAt ? 'emerald' : m.lastError ? 'red' : 'slate'}>{m.sentAt ? 'sent' : m.lastError ? 'retrying' : 'in outbox'}</Badge>
          </div>
          <p className="mt-1 text-xs text-slate-500">
            to <span data-testid="mail-to">{m.to}</span> · {m.kind} · {formatDate(m.createdAt, 'dateTime')}
            {m.lastError && ` · ${m.lastError}`}
          </p>
          <pre className="mt-3 text-sm break-words whitespace-pre-wrap text-slate-700" data-testid="mail-text">{m.text}</pre>
        </Card>
      ))}
    </div>
  );
}
