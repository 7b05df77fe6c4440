import { expect, test } from '@playwright/test';
import { fillSignUp, shots } from './helpers';
import { STAFF } from '../playwright.config';

const owner = { email: `owner-${Date.now()}@acme.test`, password: 'owner-password-1' };
const teammate = { email: `dev-${Date.now()}@acme.test`, password: 'teammate-password-1' };


test('sign up → name org → invite → teammate joins → sign out → sign in', async ({ page, browser }) => {
  await page.goto('/');
  for (const plan of ['Free', 'Starter', 'Pro', 'Enterprise']) {
    await expect(page.getByRole('heading', { name: plan, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('plan-starter')).toContainText('$19');
  await shots(page, 'landing');

  await page.getByRole('link', { name: 'Get started' }).click();
  await expect(page).toHaveURL(/\/sign-up/);
  // A weak password is refused at its field, and nothing is created.
  await fillSignUp(page, { email: owner.email, password: 'short' }, 'Olivia Owner');
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await shots(page, 'sign-up-error');
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: 'Name your organization' })).toBeVisible();
  await page.getByLabel('Organization name').fill('Acme Robotics');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments/);
  await expect(page.getByTestId('org-switcher')).toContainText('Acme Robotics');
  await expect(page.getByRole('heading', { name: 'No deployments yet' })).toBeVisible();
  for (const section of ['Deployments', 'Usage', 'Billing', 'Members', 'Settings']) {
    await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: section })).toBeVisible();
  }
  await shots(page, 'console');

  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('Role', { exact: true }).selectOption('member');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.getByTestId('invite-link').inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
  await expect(page.getByText('Anyone with the link')).toBeVisible();
  await shots(page, 'members');

  // The teammate, in a browser of their own, signs up through the link and joins.
  const other = await browser.newContext();
  const tm = await other.newPage();
  await tm.goto(link);
  await expect(tm.getByRole('heading', { name: 'Join Acme Robotics on Plinth' })).toBeVisible();
  await tm.getByRole('link', { name: 'Create an account to join' }).click();
  await fillSignUp(tm, teammate, 'Dev Teammate');
  await expect(tm.getByRole('button', { name: 'Join Acme Robotics' })).toBeVisible();
  await tm.getByRole('button', { name: 'Join Acme Robotics' }).click();
  await expect(tm).toHaveURL(/\/o\/[\w-]+\/deployments/);
  await expect(tm.getByTestId('org-switcher')).toContainText('Acme Robotics');
  await tm.getByRole('link', { name: 'Members' }).click();
  await expect(tm.getByTestId(`member-${teammate.email}`)).toContainText('member');
  // A member sees the team but cannot invite.
  await expect(tm.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
  await other.close();

  await page.reload();
  await expect(page.getByTestId(`member-${teammate.email}`)).toBeVisible();
  await expect(page.getByText('Anyone with the link')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/console');
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const mismatch = page.getByText('That email and password do not match an account.');
  await expect(mismatch).toBeVisible();
  // An unknown email gets the very same answer: the form does not reveal who has an account.
  await page.getByLabel('Email').fill('nobody@acme.test');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(mismatch).toBeVisible();
  await shots(page, 'sign-in-error');

  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments/);
  await expect(page.getByTestId('org-switcher')).toContainText('Acme Robotics');
  // Customers do not see, and cannot open, the internal console.
  await expect(page.getByRole('link', { name: 'Internal' })).toHaveCount(0);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments/);
});

test('a staff member made with admin:create sees every organization', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(STAFF.email);
  await page.getByLabel('Password').fill(STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Staff land on the internal console, not on the customer onboarding page.
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
  await expect(page.getByText('Acme Robotics')).toBeVisible();
  await shots(page, 'admin');
});
