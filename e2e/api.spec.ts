/**
 * Forgot password end to end in the browser, through the local mail outbox (no SMTP_URL in the e2e server):
 * a customer asks for a link, a staff member reads the mail in the internal console, the customer follows the
 * link, sets a new password, signs in with it; the link does not work twice.
 */
import { expect, test } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { newCustomer } from './helpers';

test('resets a forgotten password through the local outbox', async ({ page, browser }) => {
  const who = await newCustomer(page, 'Forgetful');
  await page.context().clearCookies();

  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  // The sign-in page has an Email field too: fill only once the forgot-password page is there.
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await page.getByLabel('Email').fill(who.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account with a password uses this address');

  const staff = await browser.newContext({ storageState: AUTH.staffAdmin });
  const admin = await staff.newPage();
  await admin.goto('/admin/mail');
  const mail = admin.locator('[data-testid="mail-outbox"] > *').filter({ hasText: who.email }).filter({ hasText: 'Reset your Plinth password' });
  await expect(mail).toHaveCount(1);
  const text = await mail.getByTestId('mail-text').innerText();
  const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/.exec(text)![0];
  const path = new URL(link).pathname;
  await staff.close();

  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password').fill('a fresh passphrase 42');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password was changed');

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill('a fresh passphrase 42');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments/);

  await page.goto(path);
  await page.getByLabel('New password').fill('another passphrase 43');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'already used or has expired' })).toBeVisible();
});
