import { expect, type Page } from '@playwright/test';

export const shots = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });

export async function fillSignUp(page: Page, who: { email: string; password: string }, name: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Work email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/**
 * Creates a deployment of `plan` (Starter) from the console's form and waits until it is ready; returns the URL of
 * its page. `base`: the console path to create it under (`/console`, which opens the last organization, or
 * `/o/{slug}`).
 */
export async function readyDeployment(page: Page, name: string, o: { plan?: string; base?: string } = {}) {
  await page.goto(`${o.base ?? '/console'}/deployments/new`);
  await page.getByLabel('Name').fill(name);
  await page.getByText(o.plan ?? 'Starter', { exact: true }).click();
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  return page.url();
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
