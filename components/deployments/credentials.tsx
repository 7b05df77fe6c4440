'use client';

import { useMutation } from '@tanstack/react-query';
import { useOrg } from '~/components/console/org-context';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { CopyButton } from '~/components/ui/copy-button';

/** The password stays encrypted until a member asks for it; each reveal is audited. */
export function Credentials({ deploymentId, available }: { deploymentId: string; available: boolean }) {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const reveal = useMutation(trpc.deployments.credentials.mutationOptions());
  if (!available) return <p className="text-sm text-slate-500">Credentials appear once the infrastructure is ready.</p>;
  if (!can('member'))
    return <p className="text-sm text-slate-500">Viewers cannot see credentials. Ask a member or admin.</p>;
  if (!reveal.data) {
    return (
      <div>
        <Button
          variant="secondary"
          pending={reveal.isPending}
          onClick={() => reveal.mutate({ orgId: org.id, deploymentId })}
        >
          Reveal credentials
        </Button>
        {reveal.error && (
          <p role="alert" className="mt-2 text-sm text-red-600">
            {errorMessage(reveal.error)}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <dl className="space-y-3 text-sm">
        {[
          ['Username', reveal.data.username],
          ['Password', reveal.data.password],
          ['Connection URL', reveal.data.url],
        ].map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-0.5 flex items-center gap-2">
              <code
                title={value}
                className="min-w-0 flex-1 truncate rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-800"
                data-testid={`credential-${label}`}
              >
                {value}
              </code>
              <CopyButton value={value!} />
            </dd>
          </div>
        ))}
      </dl>
      {/* Forget the revealed values: nothing secret stays on screen (or in memory) after a screen share. */}
      <Button variant="ghost" size="sm" onClick={() => reveal.reset()}>
        Hide credentials
      </Button>
    </div>
  );
}
