/** What changed between two versions of a deployment's settings, in words a customer reads. */
import { formatMemory } from './format';

type Spec = {
  plan: string;
  memoryMb: number;
  replicas: number;
  persistence: boolean;
  version: string;
  config: { maxmemoryPolicy: string; timeoutSeconds: number };
};

export function describeSpecChanges(before: Spec, after: Spec): string[] {
  const out: string[] = [];
  if (before.plan !== after.plan) out.push(`plan ${before.plan} → ${after.plan}`);
  if (before.memoryMb !== after.memoryMb) out.push(`memory ${formatMemory(before.memoryMb)} → ${formatMemory(after.memoryMb)}`);
  if (before.replicas !== after.replicas) out.push(`replicas ${before.replicas} → ${after.replicas}`);
  if (before.persistence !== after.persistence) out.push(`persistence ${before.persistence ? 'on' : 'off'} → ${after.persistence ? 'on' : 'off'}`);
  if (before.version !== after.version) out.push(`Redis ${before.version} → ${after.version}`);
  if (before.config.maxmemoryPolicy !== after.config.maxmemoryPolicy) out.push(`eviction ${before.config.maxmemoryPolicy} → ${after.config.maxmemoryPolicy}`);
  if (before.config.timeoutSeconds !== after.config.timeoutSeconds) out.push(`idle timeout ${before.config.timeoutSeconds}s → ${after.config.timeoutSeconds}s`);
  return out;
}
