import { describe, expect, it } from 'vitest';
import { whyNotReady, type WhyInput } from './why-not-ready';

const now = new Date('2026-11-22T08:00:00Z');
const base: WhyInput = {
  phase: 'ready', generation: 2, observedGeneration: 2, deletionRequestedAt: null, spec: {}, conditions: [], attempts: 0, lastError: null,
  nextReconcileAt: null, leaseOwner: null, leaseExpiresAt: null, queueAhead: null, now,
};
const later = new Date(now.getTime() + 90_000);

describe('whyNotReady', () => {
  it('says nothing for a ready deployment', () => expect(whyNotReady(base)).toBeNull());
  it('names the queue position', () => {
    expect(whyNotReady({ ...base, phase: 'updating', generation: 3, queueAhead: 4 })).toBe('Queued: 4 deployments ahead of it for a worker.');
    expect(whyNotReady({ ...base, phase: 'updating', generation: 3, queueAhead: 0 })).toBe('Queued: it is next for a worker.');
  });
  it('names the worker to staff only', () => {
    const leased = { ...base, phase: 'updating' as const, generation: 3, leaseOwner: 'host:42:abcd', leaseExpiresAt: later };
    expect(whyNotReady(leased, 'staff')).toBe('Worker host:42:abcd is reconciling it now (lease until 08:01:30 UTC).');
    expect(whyNotReady(leased)).toBe('A worker is applying its settings right now.');
  });
  it('gives the backoff with attempts and the last error', () => {
    expect(whyNotReady({ ...base, phase: 'updating', generation: 3, attempts: 3, lastError: 'API timed out', nextReconcileAt: later })).toBe(
      'Backing off until 08:01:30 UTC after 3 failed attempts: API timed out',
    );
  });
  it('waits for Argo CD health once the app is synced', () => {
    const synced = [{ type: 'AppSynced' as const, status: true, observedGeneration: 3, at: now.toISOString() }];
    expect(whyNotReady({ ...base, phase: 'updating', generation: 3, conditions: synced })).toBe('Waiting for the app to report healthy (Argo CD health).');
  });
  it('says stopped, degraded and drifted', () => {
    expect(whyNotReady({ ...base, phase: 'stopped', spec: { state: 'stopped' } })).toMatch(/^Stopped: /);
    expect(whyNotReady({ ...base, conditions: [{ type: 'Degraded', status: true, message: 'crash loop', recoveries: 2, at: '' }] })).toBe('Degraded: crash loop (2 automatic recovery actions so far).');
    expect(whyNotReady({ ...base, conditions: [{ type: 'Drifted', status: true, message: 'x: a 1 → 2', at: '' }] })).toBe('Drifted: changed outside Plinth (x: a 1 → 2); staff have been alerted.');
  });
});
