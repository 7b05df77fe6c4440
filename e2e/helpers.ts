import { expect, type Page } from '@playwright/test';

export const shots = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });

export async function fillSignUp(page: Page, who: { email: string; password: string }, name: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Work email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** A new customer with an organization, landed in the console. */
export async function newCustomer(page: Page, org: string) {
  const who = { email: `${org.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.test`, password: 'customer-password-1' };
  await page.goto('/sign-up');
  await fillSignUp(page, who, 'Casey Customer');
  await page.getByLabel('Organization name').fill(org);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments/);
  return who;
}
