import { expect, test } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { shots } from './helpers';

// The customer e2e/auth.setup.ts signed up, with an empty organization (Deployers).
test.use({ storageState: AUTH.customer });

test('create → ready → resize → ready → delete → gone', async ({ page }) => {
  await page.goto('/console/deployments');
  await page.getByRole('link', { name: 'New deployment' }).click();
  await page.getByLabel('Name').fill('Bad Name');
  await page.getByText('Starter', { exact: true }).click();
  await expect(page.getByTestId('price-summary')).toContainText('Starter plan fee');
  await expect(page.getByTestId('price-total')).toHaveText('$38.27/month');
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page.getByText('Use lowercase letters, digits and hyphens')).toBeVisible();
  await shots(page, 'deployment-new');

  await page.getByLabel('Name').fill('sessions-cache');
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'sessions-cache' })).toBeVisible();
  await expect(page.getByText('Sandbox', { exact: true })).toBeVisible();
  // The phase moves on its own, without a reload.
  await expect(page.getByTestId('phase')).toHaveText(/provisioning|pending/);
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByTestId('endpoint')).toContainText('sessions-cache');
  await expect(page.getByTestId('timeline')).toContainText('Infrastructure ready');
  await page.getByRole('button', { name: 'Reveal credentials' }).click();
  await expect(page.getByTestId('credential-Connection URL')).toContainText('rediss://default:');
  await shots(page, 'deployment-ready');

  await page.getByLabel('Memory').selectOption('512');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByTestId('phase')).toHaveText('updating');
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByText('2 of 2 applied')).toBeVisible();
  await expect(page.getByTestId('operations')).toContainText('Change memory 1024 → 512 MB');

  await page.getByLabel('Type sessions-cache to confirm').fill('sessions-cache');
  await page.getByRole('button', { name: 'Delete deployment' }).click();
  await expect(page.getByTestId('phase')).toHaveText('deleting');
  await expect(page.getByTestId('phase')).toHaveText('deleted', { timeout: 30_000 });
  await shots(page, 'deployment-deleted');
  await page.getByRole('link', { name: '← Deployments' }).click();
  // Other specs share this customer's organization: the deleted one is gone from the list, whatever else is there.
  await expect(page.getByRole('heading', { name: 'Deployments', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'sessions-cache', exact: true })).toHaveCount(0);
});
