/**
 * Signs each role in once and saves the browser state, so the specs start signed in instead of going through
 * the sign-in form in every test (the journey spec still tests that form itself).
 */
import { expect, test as setup, type Page } from '@playwright/test';
import { AUTH, STAFF, SUPPORT } from '../playwright.config';
import { newCustomer } from './helpers';

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

setup('staff admin', async ({ page }) => {
  await signIn(page, STAFF);
  await page.context().storageState({ path: AUTH.staffAdmin });
});

setup('support', async ({ page }) => {
  await signIn(page, SUPPORT);
  await page.context().storageState({ path: AUTH.support });
});

/** A customer with a fresh organization (Deployers) and nothing in it yet. */
setup('customer', async ({ page }) => {
  await newCustomer(page, 'Deployers');
  await page.context().storageState({ path: AUTH.customer });
});
