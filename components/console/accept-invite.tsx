'use client';

import { useMutation } from '@tanstack/react-query';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';

export function AcceptInvite({ token, orgName }: { token: string; orgName: string }) {
  const trpc = useTRPC();
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: ({ orgId }) => window.location.assign(`/console/switch?org=${orgId}`),
    }),
  );
  return (
    <div className="space-y-3">
      {accept.error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errorMessage(accept.error)}
        </p>
      )}
      <Button className="w-full" pending={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ token })}>
        Join {orgName}
      </Button>
    </div>
  );
}
