'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/components/providers';
import { Card } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { errorMessage } from '~/lib/errors';
import { NOTIFICATION_KINDS, NOTIFICATION_LABELS } from '~/lib/notifications';

/** Which notification mails this person receives; invitations and password resets always go out. */
export function NotificationSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const q = useQuery(trpc.auth.notifications.queryOptions());
  const set = useMutation(
    trpc.auth.setNotification.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.auth.notifications.queryKey(), data),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );
  return (
    <Card className="p-6">
      <h2 className="text-base font-semibold text-slate-900">Email notifications</h2>
      <p className="mt-1 text-sm text-slate-600">For every organization you belong to.</p>
      <div className="mt-4 space-y-2">
        {NOTIFICATION_KINDS.map((kind) => (
          <label key={kind} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              name={kind}
              checked={q.data?.[kind] ?? true}
              disabled={!q.data || set.isPending}
              onChange={(e) => set.mutate({ kind, enabled: e.currentTarget.checked })}
            />
            {NOTIFICATION_LABELS[kind]}
          </label>
        ))}
      </div>
    </Card>
  );
}
