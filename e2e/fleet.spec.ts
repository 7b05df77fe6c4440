import { expect, test, type Browser, type Page } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { newCustomer, shots } from './helpers';

// The server runs with PLINTH_SANDBOX_FAIL_VERSIONS=7.9.9 (playwright.config.ts): a release that never starts.

async function createDeployment(page: Page, name: string) {
  await page.goto('/console/deployments/new');
  await page.getByLabel('Name').fill(name);
  await page.getByText('Starter', { exact: true }).click();
  await page.getByLabel('Version').selectOption('7.2.5');
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  return page.url().split('/').at(-1)!;
}

async function orgId(page: Page) {
  await page.goto('/console/settings');
  return (await page.locator('dt:has-text("Organization ID") + dd').textContent())!.trim();
}

async function staffPage(browser: Browser) {
  const ctx = await browser.newContext({ storageState: AUTH.staffAdmin });
  return ctx.newPage();
}

async function startRollout(admin: Page, o: { target: string; org: string; canary: string; wave: string }) {
  await admin.goto('/admin/rollouts');
  await admin.getByLabel('Target version').selectOption(o.target);
  await admin.getByLabel('Organization ids').fill(o.org);
  await admin.getByLabel('Canary size').fill(o.canary);
  await admin.getByLabel('Wave size (%)').fill(o.wave);
  await admin.getByRole('button', { name: 'Dry run' }).click();
  await expect(admin.getByTestId('dry-run')).toBeVisible();
  return admin;
}

test('an admin publishes a bad release, dry-runs a rollout, starts it and watches the canary fail and pause it', async ({ page, browser }) => {
  await newCustomer(page, 'Canaries');
  const org = await orgId(page);
  await createDeployment(page, 'canary-a');
  await createDeployment(page, 'canary-b');

  const admin = await staffPage(browser);
  await admin.goto('/admin/versions');
  await admin.getByLabel('Version', { exact: true }).fill('7.9.9');
  await admin.getByLabel('Terraform module ref').fill('redis-7.9.9');
  await admin.getByLabel('Helm chart version').fill('21.0.0');
  await admin.getByLabel('Status').selectOption('available');
  await admin.getByRole('button', { name: 'Publish' }).click();
  await expect(admin.getByTestId('version-7.9.9')).toContainText('available');
  await admin.getByLabel('From', { exact: true }).selectOption('7.2.5');
  await admin.getByLabel('To', { exact: true }).selectOption('7.9.9');
  await admin.getByRole('button', { name: 'Add path' }).click();
  await expect(admin.getByTestId('version-7.2.5')).toContainText('7.9.9');

  await startRollout(admin, { target: '7.9.9', org, canary: '1', wave: '100' });
  await expect(admin.getByTestId('dry-run')).toContainText('2 deployments to 7.9.9');
  await expect(admin.getByTestId('dry-run')).toContainText('Canary: 1 deployments');
  await shots(admin, 'fleet-dry-run');
  await admin.getByRole('button', { name: 'Start rollout' }).click();
  await expect(admin).toHaveURL(/\/admin\/rollouts\/[0-9a-f-]{36}$/);
  await expect(admin.getByTestId('rollout-status')).toHaveText('paused', { timeout: 45_000 });
  await expect(admin.getByTestId('paused-reason')).toContainText('The canary failed');
  await expect(admin.getByTestId('count-failed')).toHaveText('1');
  await expect(admin.getByTestId('count-scheduled')).toHaveText('1');
  await expect(admin.getByTestId('progress-chart')).toBeVisible();
  await shots(admin, 'fleet-paused');

  // Leave the bad release where no other test picks it: cancel, then retire it.
  admin.on('dialog', (d) => d.accept());
  await admin.getByRole('button', { name: 'Cancel' }).click();
  await expect(admin.getByTestId('rollout-status')).toHaveText('cancelled', { timeout: 15_000 });
  await admin.goto('/admin/versions');
  await admin.getByTestId('version-7.9.9').getByRole('button', { name: '→ deprecated' }).click();
  await admin.getByTestId('version-7.9.9').getByRole('button', { name: '→ retired' }).click();
  await expect(admin.getByTestId('version-7.9.9')).toContainText('retired');
});

test('a customer sets a window, sees the scheduled upgrade, then upgrades now', async ({ page, browser }) => {
  await newCustomer(page, 'Windowed');
  const org = await orgId(page);
  // Bad input is refused at the field; a good window shows its next occurrence in local time.
  await page.getByLabel('Duration (hours)').fill('0.5');
  await page.getByRole('button', { name: 'Save window' }).click();
  await expect(page.getByText('Make the window at least 1 hour long.')).toBeVisible();
  await page.getByLabel('Duration (hours)').fill('2');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByRole('button', { name: 'Save window' }).click();
  await expect(page.getByTestId('org-window-summary')).toContainText('Tue 02:00 for 2 h (Europe/Berlin) · next: Tue');
  const id = await createDeployment(page, 'windowed-cache');

  const admin = await staffPage(browser);
  await startRollout(admin, { target: '7.4.1', org, canary: '1', wave: '100' });
  await admin.getByRole('button', { name: 'Start rollout' }).click();
  await expect(admin).toHaveURL(/\/admin\/rollouts\/[0-9a-f-]{36}$/);

  await page.goto('/console/deployments');
  await expect(page.getByTestId('deployment-windowed-cache')).toContainText(/→ 7\.4\.1 Tue .* 02:00–04:00 CES?T/);
  await page.goto(`/console/deployments/${id}`);
  await expect(page.getByTestId('scheduled-upgrade')).toContainText(/Redis 7\.4\.1 scheduled for Tue .* 02:00–04:00 CES?T/);
  await shots(page, 'fleet-scheduled');
  await page.getByRole('button', { name: 'Upgrade now' }).click();
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByTestId('operations')).toContainText('Upgrade Redis 7.2.5 → 7.4.1 (upgrade now, asked by the customer)', { timeout: 30_000 });
  await expect(admin.getByTestId('rollout-status')).toHaveText('completed', { timeout: 30_000 });
});
