import { expect, test, type Page } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { newCustomer, readyDeployment, shots } from './helpers';

/** A customer with one running deployment of `plan`: the billing job (every second here) meters its cost and usage. */
async function tenantWithDeployment(page: Page, org: string, plan: string) {
  await newCustomer(page, org);
  await readyDeployment(page, 'cache', { plan });
}

const names = (page: Page) => page.getByTestId('economics-row').locator('td:first-child a').allTextContents();

test('staff open Unit economics, sort the tenants, and open one tenant’s trend', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await tenantWithDeployment(page, 'Aardvark Analytics', 'Starter');
  const second = await (await browser.newContext()).newPage();
  await tenantWithDeployment(second, 'Zebra Zone', 'Starter');

  const staff = await (await browser.newContext({ storageState: AUTH.staffAdmin })).newPage();
  await staff.goto('/admin');
  await staff.getByRole('link', { name: 'Unit economics' }).click();
  await expect(staff.getByRole('heading', { name: 'Unit economics' })).toBeVisible();
  // Both tenants appear once their first hours are metered (the job runs every second in this suite).
  await expect(async () => {
    await staff.reload();
    // The report loads after the page: wait for the table (or its empty state) before reading it.
    await staff.getByTestId('economics-table').or(staff.getByText('No tenant had metered')).waitFor();
    expect(await names(staff)).toEqual(expect.arrayContaining(['Aardvark Analytics', 'Zebra Zone']));
  }).toPass({ timeout: 30_000 });
  await expect(staff.getByTestId('fleet-totals')).toContainText('Fleet margin (USD)');
  await expect(staff.getByTestId('cost-model')).toContainText('Starter');

  // Sort by name, both ways (the table keeps showing the previous order until the new one arrives).
  const sorted = (await names(staff)).sort((a, b) => a.localeCompare(b));
  await staff.getByRole('button', { name: /^Tenant/ }).click();
  await expect(staff.getByRole('columnheader', { name: /Tenant/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => names(staff)).toEqual(sorted);
  await staff.getByRole('button', { name: /^Tenant/ }).click();
  await expect(staff.getByRole('columnheader', { name: /Tenant/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => names(staff)).toEqual([...sorted].reverse());

  // One tenant's trend.
  await staff.getByTestId('economics-row').filter({ hasText: 'Aardvark Analytics' }).getByRole('button', { name: 'Trend' }).click();
  await expect(staff.getByRole('heading', { name: 'Aardvark Analytics: daily revenue, cost and margin' })).toBeVisible();
  await expect(staff.getByTestId('margin-trend')).toBeVisible();
  await shots(staff, 'admin-unit-economics');

  // The tenant page shows the same figures beside its timeline.
  await staff.getByRole('link', { name: 'Aardvark Analytics' }).click();
  await expect(staff.getByTestId('tenant-economics')).toContainText('Margin');
  await expect(staff.getByTestId('tenant-economics')).toContainText('shared namespace');
});
