/**
 * The console a paying customer trusts: the organization in the URL, real 404s, every page usable at 390 px and
 * in both themes, and no serious accessibility violation (axe-core) on any page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { AUTH } from '../playwright.config';
import { newCustomer, readyDeployment, shots } from './helpers';

const sections = ['deployments', 'deployments/new', 'usage', 'billing', 'members', 'activity', 'settings', 'account'];
const adminPages = ['/admin', '/admin/reconciler', '/admin/staff'];

/** The org slug of the page the browser is on. */
function slugOf(page: Page) {
  const m = /\/o\/([^/]+)\//.exec(new URL(page.url()).pathname);
  if (!m) throw new Error(`not an org URL: ${page.url()}`);
  return m[1]!;
}

async function noSideScroll(page: Page, where: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `${where} is ${scroll}px wide in a ${client}px window`).toBeLessThanOrEqual(client);
}

async function axe(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

test('the organization is in the URL: deep links, the switcher, old URLs and client navigation', async ({ page }) => {
  await newCustomer(page, 'Url Alpha');
  const alpha = slugOf(page);
  expect(page.url()).toMatch(new RegExp(`/o/${alpha}/deployments$`));

  // A deployment in Alpha, linked by its URL.
  await page.goto(`/o/${alpha}/deployments/new`);
  await page.getByLabel('Name').fill('deep-link');
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${alpha}/deployments/[0-9a-f-]{36}$`));
  const deepLink = new URL(page.url()).pathname;

  // A second organization; creating it opens it.
  await page.goto('/console/new-org');
  await expect(page).toHaveURL(new RegExp(`/o/${alpha}/new-org$`));
  await page.getByLabel('Organization name').fill('Url Beta');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/url-beta[\w-]*\/deployments$/);
  const beta = slugOf(page);
  await expect(page.getByTestId('org-switcher')).toContainText('Url Beta');

  // The deep link into Alpha works while Beta was the last org opened.
  await page.goto(deepLink);
  await expect(page.getByRole('heading', { name: 'deep-link' })).toBeVisible();
  await expect(page.getByTestId('org-switcher')).toContainText('Url Alpha');

  // Client-side navigation keeps the org URL (the nav marks the page it is on).
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${alpha}/billing$`));
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Billing' })).toHaveAttribute('aria-current', 'page');

  // The switcher is a navigation: same section, other org, the page shows it at once; Escape closes it.
  await page.getByTestId('org-switcher').click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('link', { name: /Url Beta/ })).toBeHidden();
  await page.getByTestId('org-switcher').click();
  await page.getByRole('link', { name: /Url Beta/ }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${beta}/billing$`));
  await expect(page.getByTestId('org-switcher')).toContainText('Url Beta');

  // Old URLs land in the organization opened last.
  await page.goto('/console/usage');
  await expect(page).toHaveURL(new RegExp(`/o/${beta}/usage$`));
  await shots(page, 'org-url');
});

test('not-found pages are branded and answer 404', async ({ page }) => {
  await newCustomer(page, 'Lost Links');
  const slug = slugOf(page);
  for (const path of [`/o/${slug}/deployments/00000000-0000-4000-8000-000000000000`, `/o/${slug}/deployments/not-an-id`, '/o/no-such-org-anywhere/deployments', '/no/such/page']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByTestId('not-found')).toContainText('This page does not exist');
  }
  await shots(page, 'not-found');
  await page.getByRole('link', { name: 'Go to your console' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${slug}/deployments$`));
});

test.describe('customer pages at 390 px, light and dark, with axe', () => {
  test.use({ storageState: AUTH.customer });
  for (const scheme of ['light', 'dark'] as const) {
    test(`every console page fits a phone (${scheme})`, async ({ page }) => {
      test.setTimeout(240_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/console/deployments');
      const slug = slugOf(page);
      // One deployment, so the list and the detail page are not empty.
      const detail = new URL(await readyDeployment(page, `phone-${scheme}`, { base: `/o/${slug}` })).pathname;
      for (const path of [...sections.map((s) => `/o/${slug}/${s}`), detail]) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        await noSideScroll(page, path);
        await axe(page, `${path} (${scheme}, 390)`);
        await shots(page, `390-${scheme}-${path.split('/').slice(3).join('-').replace(/[0-9a-f-]{36}/, 'detail')}`);
      }
      // Members and Settings stay in the nav on a phone.
      for (const s of ['Members', 'Settings']) await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: s })).toBeVisible();
      for (const path of sections.map((s) => `/o/${slug}/${s}`)) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        await axe(page, `${path} (${scheme}, 1280)`);
        await shots(page, `1280-${scheme}-${path.split('/').slice(3).join('-')}`);
      }
    });
  }
});

test.describe('staff pages at 390 px, light and dark, with axe', () => {
  test.use({ storageState: AUTH.staffAdmin });
  for (const scheme of ['light', 'dark'] as const) {
    test(`every admin page fits a phone (${scheme})`, async ({ page }) => {
      test.setTimeout(240_000);
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 844 });
        for (const path of adminPages) {
          await page.goto(path);
          await page.waitForLoadState('networkidle');
          if (width === 390) await noSideScroll(page, path);
          await axe(page, `${path} (${scheme}, ${width})`);
          await shots(page, `${width}-${scheme}-admin${path.slice('/admin'.length).replace(/\//g, '-')}`);
        }
      }
      // A tenant's page too.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/admin');
      await page.getByRole('link', { name: 'Deployers' }).first().click();
      await page.waitForLoadState('networkidle');
      await noSideScroll(page, 'tenant');
      await axe(page, `tenant (${scheme}, 390)`);
      await shots(page, `390-${scheme}-admin-tenant`);
    });
  }
});

test('the theme toggle overrides the system and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await newCustomer(page, 'Night Owls');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.getByTestId('theme-toggle').click(); // system → light
  await page.getByTestId('theme-toggle').click(); // light → dark
  expect(await bg()).not.toBe(light);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await shots(page, 'dark-toggle');
});

/** A Starter deployment, ready, in the page's current org; returns its detail URL. */
async function readyStarter(page: Page, slug: string, name: string) {
  return new URL(await readyDeployment(page, name, { base: `/o/${slug}` })).pathname;
}

test('a stale edit shows the conflict, keeps the edits, and applies them on top', async ({ page, context }) => {
  await newCustomer(page, 'Two Tabs');
  const detail = await readyStarter(page, slugOf(page), 'two-tabs');
  // This tab starts editing…
  await page.getByLabel('Memory').selectOption('512');
  await expect(page.getByTestId('price-change')).toContainText('−');
  // …while another tab changes the same deployment.
  const other = await context.newPage();
  await other.goto(detail);
  await other.getByLabel('Memory').selectOption('256');
  await other.getByRole('button', { name: 'Apply changes' }).click();
  await expect(other.getByTestId('operations')).toContainText('1024 → 256 MB');
  await other.close();

  await page.getByRole('button', { name: 'Apply changes' }).click();
  const conflict = page.getByTestId('edit-conflict');
  await expect(conflict).toContainText('Someone else changed this deployment');
  await expect(conflict).toContainText('memory 1 GB → 256 MB');
  // The edit is still there.
  await expect(page.getByLabel('Memory')).toHaveValue('512');
  await shots(page, 'conflict');
  await conflict.getByRole('button', { name: 'Apply my changes on top' }).click();
  await expect(page.getByTestId('edit-conflict')).toHaveCount(0);
  await expect(page.getByTestId('operations')).toContainText('256 → 512 MB');
  await expect(page.getByTestId('phase')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByText('3 of 3 applied')).toBeVisible();
});

test('a change quoted at a price that moved is refused with the new price, then confirmed', async ({ page }) => {
  await newCustomer(page, 'Price Watchers');
  const detail = await readyStarter(page, slugOf(page), 'quoted');
  // The page loads a catalog in which Starter's hourly rate is lower than the server's (the price moved since).
  await page.route('**/api/trpc/**catalog.get**', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as Array<{ result?: { data?: { json?: { plans?: Array<{ slug: string; hourlyRateCentiCents: number }> } } } }>;
    for (const r of body) for (const p of r.result?.data?.json?.plans ?? []) if (p.slug === 'starter') p.hourlyRateCentiCents -= 100;
    await route.fulfill({ response: res, json: body });
  });
  await page.goto(detail);
  await page.getByLabel('Memory').selectOption('512');
  const shown = await page.getByTestId('price-total').textContent();
  await page.unroute('**/api/trpc/**catalog.get**');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByTestId('quote-error')).toContainText('The price changed since you saw it');
  await shots(page, 'quote-refused');
  // The form now shows the real price; confirming it goes through.
  await expect(page.getByTestId('price-total')).not.toHaveText(shown!);
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByTestId('operations')).toContainText('1024 → 512 MB');
});

test('"Choose Pro" on the landing page carries through sign-up to the create form with Pro selected', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('/');
  await expect(page.getByTestId('estimate-pro')).toContainText('$');
  await page.getByTestId('choose-pro').click();
  await page.getByLabel('Your name').fill('Pat Pro');
  await page.getByLabel('Work email').fill(`pro-${Date.now()}@example.test`);
  await page.getByLabel('Password').fill('customer-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Organization name').fill('Pro Shop');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/o\/pro-shop[\w-]*\/deployments\/new\?plan=pro$/);
  await expect(page.getByRole('radio', { name: /Pro/ })).toBeChecked();
  await expect(page.getByTestId('price-summary')).toContainText('Pro plan fee');
  await shots(page, 'choose-pro');
  await ctx.close();
});
