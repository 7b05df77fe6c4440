'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { SANDBOX_CHANGES, type SandboxChange } from '~/lib/inputs/staff';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Select } from '~/components/ui/field';
import { ActionDialog } from './action-dialog';
import { useTenantAction } from './use-tenant-action';

const LABELS: Record<SandboxChange, string> = {
  drift: 'Drift: change its memory outside Plinth',
  unhealthy: 'Unhealthy: crash-loop the app (a restart cures it)',
  unreachable: 'Unreachable: the endpoint probe fails',
  clear: 'Clear injected faults',
};

/** Sandbox deployments only: make the out-of-band changes day-2 resync catches, then look at once. */
export function SandboxTools({ orgId, d }: { orgId: string; d: { id: string; name: string } }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [change, setChange] = useState<SandboxChange>('drift');
  const simulate = useMutation(trpc.staff.deployments.simulate.mutationOptions({ onSuccess: (r) => a.done(r.applied ? `Simulated on ${d.name}; a resync looks now.` : `${d.name} has nothing in the sandbox yet.`) }));
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => (simulate.reset(), a.show())}>
        Simulate…
      </Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={`Simulate on ${d.name} (sandbox)`}
        confirmLabel="Simulate"
        pending={simulate.isPending}
        error={simulate.error}
        summary="Changes the simulated cloud behind Plinth's back, then makes the deployment due so the next resync finds it."
        onConfirm={(reason) => simulate.mutate({ orgId, deploymentId: d.id, change, reason, confirm: true })}
      >
        <Field id={`simulate-${d.id}`} label="Change">
          <Select id={`simulate-${d.id}`} value={change} onChange={(e) => setChange(e.target.value as SandboxChange)}>
            {SANDBOX_CHANGES.map((c) => (
              <option key={c} value={c}>
                {LABELS[c]}
              </option>
            ))}
          </Select>
        </Field>
      </ActionDialog>
    </>
  );
}
