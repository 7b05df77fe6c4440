'use client';

import { Field, Input, Select } from '~/components/ui/field';
import type { DeploymentSpec, Plan } from '~/db/schema';
import { formatMemory } from '~/lib/format';
import { MAXMEMORY_POLICIES, MEMORY_SIZES_MB } from '~/lib/inputs/deployments';

/** Memory, replicas, persistence and config, limited to what the chosen plan allows. Shared by create and resize. */
export function SizingFields({
  plan,
  current,
  errors,
  disabled,
}: {
  plan: Plan;
  current?: DeploymentSpec;
  errors: Record<string, string | undefined>;
  disabled?: boolean;
}) {
  const sizes = MEMORY_SIZES_MB.filter((s) => s <= plan.limits.memoryMb);
  const memory = current && current.memoryMb <= plan.limits.memoryMb ? current.memoryMb : plan.limits.memoryMb;
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2" key={plan.id}>
      <Field id="memoryMb" label="Memory" error={errors.memoryMb} hint={`Up to ${formatMemory(plan.limits.memoryMb)} on ${plan.name}.`}>
        <Select id="memoryMb" name="memoryMb" defaultValue={memory} disabled={disabled} invalid={!!errors.memoryMb}>
          {sizes.map((s) => (
            <option key={s} value={s}>
              {formatMemory(s)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="replicas" label="Replicas" error={errors.replicas} hint={plan.limits.replicas === 0 ? `${plan.name} has no replicas.` : 'Read replicas with automatic failover.'}>
        <Select id="replicas" name="replicas" defaultValue={Math.min(current?.replicas ?? plan.limits.replicas, plan.limits.replicas)} disabled={disabled || plan.limits.replicas === 0}>
          {Array.from({ length: plan.limits.replicas + 1 }, (_, i) => (
            <option key={i} value={i}>
              {i}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="maxmemoryPolicy" label="Eviction policy" error={errors['config.maxmemoryPolicy'] ?? errors.config}>
        <Select id="maxmemoryPolicy" name="maxmemoryPolicy" defaultValue={current?.config.maxmemoryPolicy ?? 'noeviction'} disabled={disabled}>
          {MAXMEMORY_POLICIES.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </Select>
      </Field>
      <Field id="timeoutSeconds" label="Idle client timeout (seconds)" error={errors['config.timeoutSeconds']} hint="0 keeps idle connections open.">
        <Input id="timeoutSeconds" name="timeoutSeconds" type="number" min={0} max={86400} defaultValue={current?.config.timeoutSeconds ?? 0} disabled={disabled} />
      </Field>
      <label className="flex items-center gap-2 text-sm text-slate-800 sm:col-span-2">
        <input
          type="checkbox"
          name="persistence"
          defaultChecked={plan.limits.persistence && (current?.persistence ?? true)}
          disabled={disabled || !plan.limits.persistence}
          className="size-4 rounded border-slate-300"
        />
        Persistence (keep data on disk across restarts){!plan.limits.persistence && ` — not available on ${plan.name}`}
      </label>
      {errors.persistence && <p className="text-sm text-red-600 sm:col-span-2">{errors.persistence}</p>}
    </div>
  );
}

/** Reads the sizing fields back from a form. */
export function readSizing(form: FormData) {
  return {
    memoryMb: Number(form.get('memoryMb')),
    replicas: Number(form.get('replicas') ?? 0),
    persistence: form.get('persistence') === 'on',
    // The server validates the policy against the same list; the cast only satisfies the input type.
    config: { maxmemoryPolicy: String(form.get('maxmemoryPolicy')) as (typeof MAXMEMORY_POLICIES)[number], timeoutSeconds: Number(form.get('timeoutSeconds')) },
  };
}
