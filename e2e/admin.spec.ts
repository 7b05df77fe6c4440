import { expect, test, type Browser, type Page } from '@playwright/test';
import { AUTH, STAFF, SUPPORT } from '../playwright.config';
import { newCustomer, readyDeployment, shots } from './helpers';

/** Staff in a browser of their own, signed in (by e2e/auth.setup.ts) and on the internal console. */
async function staffPage(browser: Browser, storageState: string): Promise<Page> {
  const page = await (await browser.newContext({ storageState })).newPage();
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
  return page;
}

test('support finds a tenant by a member’s email and reads its history; an admin issues a credit and the customer sees it', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const customer = await newCustomer(page, 'Northwind Traders');
  await readyDeployment(page, 'orders-cache');

  // Support: search by the member's email, open the tenant, read its history. No admin controls.
  const support = await staffPage(browser, AUTH.support);
  await support.getByRole('searchbox', { name: 'Search tenants' }).fill(customer.email);
  await support.getByRole('searchbox', { name: 'Search tenants' }).press('Enter');
  await expect(support).toHaveURL(/search=/);
  const rows = support.locator('[data-testid^="tenant-"]');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Northwind Traders');
  await expect(rows).toContainText('1 ready');
  await shots(support, 'admin-tenants-search');

  await rows.getByRole('link', { name: 'Northwind Traders' }).click();
  await expect(support.getByRole('heading', { name: 'Northwind Traders' })).toBeVisible();
  const timeline = support.getByTestId('tenant-timeline');
  await expect(timeline).toContainText('Organization created');
  await expect(timeline).toContainText(customer.email);
  await expect(timeline).toContainText('Create Starter deployment');
  await expect(timeline).toContainText('Ready at generation 1');
  await expect(support.getByTestId('tenant-deployment-orders-cache')).toContainText('ready');
  await expect(support.getByRole('button', { name: 'Issue credit' })).toHaveCount(0);
  await expect(support.getByText('You have read access (support).')).toBeVisible();
  await shots(support, 'admin-tenant-support');

  await support.getByRole('button', { name: 'Reconciler', exact: true }).click();
  await expect(support.getByTestId('timeline-entry').first()).toHaveAttribute('data-kind', 'reconciler');
  await expect(support.locator('[data-testid="timeline-entry"]:not([data-kind="reconciler"])')).toHaveCount(0);
  const tenantUrl = support.url();

  // Admin: a credit needs a reason and a confirmation, and lands in the timeline with both.
  const admin = await staffPage(browser, AUTH.staffAdmin);
  await admin.goto(tenantUrl);
  await admin.getByRole('button', { name: 'Issue credit' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Amount').fill('50');
  await dialog.getByRole('button', { name: 'Issue credit' }).click();
  await expect(dialog.getByText('Say why, in a few words')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Apology for the March 3 outage');
  await expect(dialog.getByTestId('action-summary')).toContainText('$50.00');
  await shots(admin, 'admin-credit-dialog');
  await dialog.getByRole('button', { name: 'Issue credit' }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByTestId('tenant-credit-balance')).toHaveText('$50.00');
  const entry = admin.getByTestId('timeline-entry').filter({ hasText: 'Credit of $50.00 granted' });
  await expect(entry).toContainText('Apology for the March 3 outage');
  await expect(entry).toContainText(STAFF.email);
  await shots(admin, 'admin-tenant-admin');

  // Support sees the admin's action, with who and why.
  await support.reload();
  await expect(support.getByTestId('tenant-timeline')).toContainText('Apology for the March 3 outage');

  await admin.goto('/admin/reconciler');
  await expect(admin.getByRole('heading', { name: 'Reconciler' })).toBeVisible();
  await expect(admin.getByText('Queue depth (due now)')).toBeVisible();
  await shots(admin, 'admin-reconciler');
  await admin.goto('/admin/staff');
  await expect(admin.getByTestId(`staff-${SUPPORT.email}`)).toContainText('support');
  await shots(admin, 'admin-staff');

  // The customer sees the credit on their billing page.
  await page.goto('/console/billing');
  // The innermost block holding both the "Credits" heading and the reason: the Credits section, however it is built.
  const credits = page
    .locator('section, div')
    .filter({ has: page.getByRole('heading', { name: 'Credits', exact: true }) })
    .filter({ hasText: 'Apology for the March 3 outage' })
    .last();
  await expect(credits).toContainText('Apology for the March 3 outage');
  await expect(credits).toContainText('$50.00');
  await shots(page, 'billing-credit');
});

test('a suspended tenant still signs in and sees why; an admin resumes it', async ({ page, browser }) => {
  await newCustomer(page, 'Suspense Corp');
  const admin = await staffPage(browser, AUTH.staffAdmin);
  await admin.getByRole('searchbox', { name: 'Search tenants' }).fill('Suspense');
  await admin.getByRole('searchbox', { name: 'Search tenants' }).press('Enter');
  await admin.getByRole('link', { name: 'Suspense Corp' }).click();
  await admin.getByRole('button', { name: 'Suspend…' }).click();
  await admin.getByRole('dialog').getByLabel('Reason').fill('Card declined three times');
  await admin.getByRole('dialog').getByRole('button', { name: 'Suspend tenant' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Suspended:' })).toContainText('Card declined three times');

  await page.reload();
  await expect(page.getByTestId('suspended-banner')).toContainText('Suspense Corp is suspended: Card declined three times');
  await shots(page, 'console-suspended');

  await admin.getByRole('button', { name: 'Resume…' }).click();
  await admin.getByRole('dialog').getByLabel('Reason').fill('Payment method updated');
  await admin.getByRole('dialog').getByRole('button', { name: 'Resume tenant' }).click();
  await expect(admin.getByRole('button', { name: 'Suspend…' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('suspended-banner')).toHaveCount(0);
});
