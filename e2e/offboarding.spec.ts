/**
 * Deleting an organization end to end, in the browser: the owner confirms with the name, watches the steps (and
 * a reload keeps them), lands on the receipt — every deployment removed, nothing left in the engines, the final
 * invoice written — which works at 390 px and in dark mode with no serious axe violation. The organization is gone
 * from the console, and staff see the deletion and each step in the tenant timeline.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { newCustomer, readyDeployment, shots } from './helpers';

async function axe(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

async function noSideScroll(page: Page, where: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `${where} is ${scroll}px wide in a ${client}px window`).toBeLessThanOrEqual(client);
}

test('an owner deletes an organization and gets the receipt', async ({ page, browser }) => {
  await newCustomer(page, 'Farewell Co');
  const slug = /\/o\/([^/]+)\//.exec(new URL(page.url()).pathname)![1]!;
  await readyDeployment(page, 'farewell-cache', { base: `/o/${slug}` });

  await page.goto(`/o/${slug}/settings`);
  const orgId = (await page.locator('dt:has-text("Organization ID") + dd').textContent())!.trim();
  await page.getByRole('button', { name: 'Delete Farewell Co…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Farewell Co?' });
  await expect(dialog).toContainText('Remove every deployment');
  await expect(dialog.getByRole('button', { name: 'Delete organization' })).toBeDisabled();
  await axe(page, 'delete dialog');
  await dialog.getByLabel('Type Farewell Co to confirm').fill('Farewell Co');
  await dialog.getByRole('button', { name: 'Delete organization' }).click();

  // Progress, live. (The same steps are on the receipt page, where the settings page sends the owner once the
  // organization has closed: it reads the state from the database, so a reload at any moment shows it.)
  await expect(page.getByTestId('offboarding-steps')).toBeVisible();
  await shots(page, 'offboarding-progress');
  await expect(page).toHaveURL(/\/offboardings\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('offboarding-steps')).toBeVisible();
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('receipt-deployments')).toContainText('farewell-cache');
  await expect(page.getByTestId('receipt-deployments')).toContainText('infrastructure removed');
  await expect(page.getByTestId('receipt-left')).toHaveText('Nothing: every resource was removed');
  await expect(page.getByTestId('receipt-invoice')).toContainText(/INV-[0-9A-F]{8}: \$\d+\.\d\d/);
  for (const step of ['deployments', 'invoice', 'close', 'receipt']) await expect(page.locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'done');
  await shots(page, 'offboarding-receipt');
  await axe(page, 'receipt (light, 1280)');
  const receiptUrl = page.url();

  // Phone and dark mode.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(receipt).toBeVisible();
  await noSideScroll(page, 'receipt (dark, 390)');
  await axe(page, 'receipt (dark, 390)');
  await shots(page, 'offboarding-receipt-390-dark');

  // The organization is gone from the console; its only owner lands on onboarding, with the receipt linked.
  await page.goto(`/o/${slug}/deployments`);
  await expect(page).toHaveURL(/\/onboarding/);
  await expect(page.getByTestId('deletion-receipts')).toContainText('Farewell Co — receipt');

  // Staff see the deletion on the tenant page and every step in its timeline.
  const staff = await (await browser.newContext({ storageState: AUTH.staffAdmin })).newPage();
  await staff.goto(`/admin/tenants/${orgId}`);
  await expect(staff.getByTestId('tenant-offboarding')).toContainText('Deleted by its owner');
  for (const action of ['org.delete_request', 'org.delete_deployments_removed', 'org.delete_invoice', 'org.close', 'org.delete_complete']) {
    await expect(staff.locator(`[data-testid="timeline-entry"][data-action="${action}"]`)).toHaveCount(1);
  }
  await shots(staff, 'offboarding-staff-tenant');
  await axe(staff, 'staff tenant page of a deleted org');
  await staff.close();

  // Someone else cannot read the receipt.
  const other = await browser.newContext();
  const stranger = await other.newPage();
  await newCustomer(stranger, 'Nosy Co');
  const res = await stranger.goto(receiptUrl);
  expect(res?.status()).toBe(404);
  await other.close();
});
