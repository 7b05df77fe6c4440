/**
 * Reads `terraform output -json` (`{name: {sensitive, type, value}}`, sensitive values in plain text) into what
 * the reconciler stores: the endpoint as outputs, the password as a secret that is encrypted and never logged.
 */
import { z } from 'zod';
import { TerminalError, type InfraResult } from './types';

const schema = z.object({
  host: z.object({ value: z.string().min(1) }),
  port: z.object({ value: z.number().int().min(1).max(65535) }),
  tls: z.object({ value: z.boolean() }),
  // A password output not marked sensitive would be printed by every plan: refuse it.
  password: z.object({ value: z.string().min(1), sensitive: z.literal(true) }),
  // Optional: what the module's resources cost per hour, in cents (fractions allowed), storage excluded.
  hourly_cost_cents: z.object({ value: z.number().min(0).max(1_000_000).nullable() }).optional(),
});

export function readOutputs(stdout: string, moduleName: string): InfraResult {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    throw new TerminalError(`terraform output -json did not print JSON (module ${moduleName}); is TERRAFORM_BIN really terraform or tofu?`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Name the outputs, never their values: one of them is the password.
    const problems = [...new Set(parsed.error.issues.map((i) => `${String(i.path[0])}${i.path[1] === 'sensitive' ? ' (must be sensitive = true)' : ''}`))];
    throw new TerminalError(
      `Module ${moduleName} did not produce the outputs Plinth reads: ${problems.join(', ')}. It must output host (string), port (number), tls (bool) and password (string, sensitive), and may output hourly_cost_cents (number).`,
    );
  }
  const o = parsed.data;
  const cost = o.hourly_cost_cents?.value;
  return {
    outputs: { host: o.host.value, port: o.port.value, tls: o.tls.value },
    secrets: { password: o.password.value },
    hourlyCostCentiCents: cost === undefined || cost === null ? null : Math.round(cost * 100),
  };
}
