import { expect, test } from '@playwright/test';
import { newCustomer, readyDeployment, shots } from './helpers';

test('a customer sees usage growing for a running deployment, and the invoice preview', async ({ page }) => {
  await newCustomer(page, 'Metered');
  await readyDeployment(page, 'metered-cache');

  await page.getByRole('link', { name: 'Usage' }).click();
  const hours = page.getByTestId('total-hours');
  const read = async () => Number((await hours.textContent())?.replace(/[^\d.]/g, '') ?? 0);
  await expect.poll(read, { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await read();
  // Metering runs every second in this test server; the open hour keeps growing while the deployment runs.
  await expect.poll(read, { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId('usage-by-deployment')).toContainText('metered-cache');
  await expect(page.getByTestId('usage-chart')).toBeVisible();
  await shots(page, 'usage');

  await page.getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByTestId('payments-status')).toContainText('Payments are not configured on this installation.');
  const preview = page.getByTestId('invoice-preview');
  await expect(preview).toContainText('Starter plan');
  await expect(preview).toContainText('Starter deployment-hours');
  await expect(preview).toContainText('Storage');
  await expect(page.getByTestId('invoice-total')).toHaveText(/^\$\d+\.\d\d$/);
  await shots(page, 'billing');
});
