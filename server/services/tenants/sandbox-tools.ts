/**
 * The staff console's sandbox tools: make, on a sandbox deployment, the out-of-band changes the day-2 machinery
 * is there to catch (drift, an unhealthy or unreachable app), then make it due so the next resync sees them.
 * Refused on real engines: there, the world does this on its own.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deployments, organizations } from '~/db/schema';
import type { SandboxChange } from '~/lib/inputs/staff';
import type { StaffActor } from '../../actor';
import { AppError } from '../../errors';
import { simulateOutOfBand } from '../../reconciler/engines/sandbox';
import { requeue } from '../deployments/commands';

export async function simulateSandboxChange(db: Db, actor: StaffActor, input: { orgId: string; deploymentId: string; change: SandboxChange; reason: string }) {
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId)).for('no key update');
    if (!org) throw new AppError('NOT_FOUND', 'That tenant does not exist.');
    const [d] = await tx
      .select()
      .from(deployments)
      .where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, input.orgId), isNull(deployments.deletedAt)))
      .for('update');
    if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this tenant, or it is already deleted.');
    if (d.infraEngine !== 'sandbox' || d.deliveryEngine !== 'sandbox') {
      throw new AppError('PRECONDITION_FAILED', 'Sandbox tools only work on sandbox deployments; real infrastructure changes on its own.');
    }
    const db2 = tx as unknown as Db;
    const applied =
      input.change === 'drift'
        ? await simulateOutOfBand(db2, d.id, { infra: { memoryMb: d.spec.memoryMb * 4 } })
        : await simulateOutOfBand(db2, d.id, { fault: input.change === 'clear' ? null : input.change });
    await requeue(tx, { orgId: d.orgId, userId: actor.userId }, d, {
      summary: `Sandbox: ${input.change === 'clear' ? 'faults cleared' : `simulated ${input.change}`} by Plinth staff`,
      audit: { action: 'deployment.sandbox_simulate', before: { change: input.change, applied }, reason: input.reason },
    });
    return { id: d.id, applied };
  });
}
