import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { newCustomer, readyDeployment, shots } from './helpers';

async function staffPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ storageState: AUTH.staffAdmin })).newPage();
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
  return page;
}

test('day-2: stop and start a deployment; a change made outside Plinth is found, undone and shown; its metrics charts', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await newCustomer(page, 'Dayafter Labs');
  const deploymentUrl = await readyDeployment(page, 'day2-cache');

  // Stop: a confirmation that says what is kept and billed; then stopped, with the reason in one sentence.
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('only storage is billed while it is stopped');
  await dialog.getByRole('button', { name: 'Stop deployment' }).click();
  await expect(page.getByTestId('phase')).toHaveText('stopped', { timeout: 30_000 });
  await expect(page.getByTestId('why-not-ready')).toContainText('Stopped: the app is scaled to zero and its data is kept.');
  await expect(page.getByTestId('operations')).toContainText('Stop day2-cache: scale to zero, keep data');
  await shots(page, 'day2-stopped');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start deployment' }).click();
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByTestId('why-not-ready')).toHaveCount(0);

  // Staff change the sandbox behind Plinth's back; the resync finds it, heals it, and the customer is told.
  const admin = await staffPage(browser);
  await admin.getByRole('searchbox', { name: 'Search tenants' }).fill('Dayafter');
  await admin.getByRole('searchbox', { name: 'Search tenants' }).press('Enter');
  await admin.getByRole('link', { name: 'Dayafter Labs' }).click();
  await admin.getByTestId('tenant-deployment-day2-cache').getByRole('button', { name: 'Simulate…' }).click();
  await admin.getByRole('dialog').getByLabel('Change').selectOption('drift');
  await admin.getByRole('dialog').getByLabel('Reason').fill('Day-2 end-to-end test');
  await admin.getByRole('dialog').getByRole('button', { name: 'Simulate' }).click();

  await page.goto(deploymentUrl);
  await expect(page.getByTestId('drift-notice')).toContainText('A change made outside Plinth was undone', { timeout: 30_000 });
  await expect(page.getByTestId('drift-notice')).toContainText('memoryMb 1024 → 4096');
  await expect(page.getByTestId('timeline')).toContainText('Drift healed: re-applied the desired state (sandbox)');
  await shots(page, 'day2-drift-healed');

  // Metrics: the sandbox's series start at the first whole minute after creation; until then the empty state shows.
  const metrics = page.getByTestId('metrics');
  await expect(async () => {
    await page.reload();
    await expect(metrics.getByTestId('metric-memory_used_mb')).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 75_000 });
  await expect(metrics.locator('figure')).toHaveCount(4);
  await expect(metrics.getByTestId('metric-hit_ratio')).toContainText('Cache hit ratio (%)');
  await expect(metrics.locator('svg.recharts-surface')).toHaveCount(4);
  // Another range: its own answer (charts, or the empty state for a deployment younger than one step).
  await metrics.getByRole('tab', { name: '7d' }).click();
  await expect(metrics.getByRole('tab', { name: '7d' })).toHaveAttribute('aria-selected', 'true');
  await expect(metrics.getByTestId('metric-memory_used_mb').or(metrics.getByText('No metrics yet'))).toBeVisible();
  await metrics.getByRole('tab', { name: '1h' }).click();
  await expect(metrics.locator('svg.recharts-surface')).toHaveCount(4);
  await metrics.scrollIntoViewIfNeeded();
  await shots(page, 'day2-metrics');
});

// Snapshots: take one of a ready deployment, restore it into a new deployment that becomes ready (the source
// untouched); the delete form says until when the final snapshot is kept; at 390 px in dark mode it fits and passes axe.
test('day-2: take a snapshot and restore it into a new deployment', async ({ page }) => {
  test.setTimeout(120_000);
  await newCustomer(page, 'Snapshot Works');
  const sourceUrl = await readyDeployment(page, 'snap-source');

  const section = page.getByTestId('snapshots');
  await expect(section).toContainText('A snapshot is taken every day and kept 7 days.');
  await section.getByRole('button', { name: 'Take snapshot' }).click();
  const manual = section.getByTestId('snapshot-manual');
  await expect(manual.getByTestId('snapshot-status')).toHaveText('Available', { timeout: 30_000 });
  await expect(manual).toContainText('On request');
  await expect(manual).toContainText('MB');
  await expect(page.getByTestId('final-snapshot-note')).toContainText('A final snapshot is taken first. It is kept until');
  await shots(page, 'snapshots-taken');

  await manual.getByRole('button', { name: 'Restore…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('snap-source keeps running as it is');
  await dialog.getByLabel('Name of the new deployment').fill('snap-copy');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(page).not.toHaveURL(sourceUrl);
  await expect(page.getByRole('heading', { name: 'snap-copy' })).toBeVisible();
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByTestId('operations')).toContainText('Restore a snapshot of snap-source into a new Starter deployment');

  // The source is untouched, and on a phone in dark mode the section fits and passes axe.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(sourceUrl);
  await expect(page.getByTestId('phase')).toHaveText('ready');
  await expect(page.getByTestId('snapshot-manual')).toBeVisible();
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="snapshots"]').analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.getByTestId('snapshots').scrollIntoViewIfNeeded();
  await shots(page, 'snapshots-390-dark');
});
