import { describe, expect, it } from 'vitest';
import { estimateMonthly, formatChange, storageGb } from './pricing';

describe('monthly estimate', () => {
  it('adds the plan fee, a month of hours and storage', () => {
    const pro = { name: 'Pro', monthlyPriceCents: 9900, hourlyRateCentiCents: 1360 };
    const e = estimateMonthly(pro, { memoryMb: 8192, persistence: true });
    expect(storageGb({ memoryMb: 8192, persistence: true })).toBe(16);
    // 730 h × 13.6 ¢ = 9928 ¢; 16 GB × 730 h × 0.02 ¢ = 233.6 ¢ → 234 ¢.
    expect(e.lines.map((l) => l.cents)).toEqual([9900, 9928, 234]);
    expect(e.totalCents).toBe(20062);
    expect(estimateMonthly({ name: 'Free', monthlyPriceCents: 0, hourlyRateCentiCents: 0 }, { memoryMb: 256, persistence: false }).totalCents).toBe(0);
    expect(formatChange(1240)).toBe('+$12.40/month');
    expect(formatChange(-300)).toBe('−$3/month');
    expect(formatChange(0)).toBe('no change');
  });
});
