import { expect, test, type Page } from '@playwright/test';
import { SIGNUPS_PER_HOUR, STAFF } from '../playwright.config';
import { newCustomer, readyDeployment } from './helpers';

/** Every CSP violation the page reports, from the browser's own event and its console. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(msg.text())) violations.push(msg.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return violations;
}

async function visit(page: Page, path: string, ready: RegExp | string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: ready }).first()).toBeVisible();
  // Charts and client components render after hydration: give them their moment, then look for violations.
  await page.waitForLoadState('networkidle');
}

test('no CSP violation on any page a customer visits, and the security headers are there', async ({ page }) => {
  test.setTimeout(120_000);
  const violations = await watchCsp(page);
  for (const [path, heading] of [['/', /Redis/], ['/sign-in', /Sign in/], ['/sign-up', /Create/]] as const) await visit(page, path, heading);
  await newCustomer(page, 'Strict Policies');
  await readyDeployment(page, 'csp-cache');
  await page.waitForLoadState('networkidle');
  for (const [path, heading] of [
    ['/console/deployments', 'Deployments'],
    ['/console/deployments/new', /deployment/i],
    ['/console/usage', 'Usage'],
    ['/console/billing', 'Billing'],
    ['/console/members', 'Members'],
    ['/console/settings', 'Settings'],
    ['/console/account', 'Account'],
  ] as const) {
    await visit(page, path, heading);
  }
  expect(violations).toEqual([]);

  const res = await page.request.get('/console/deployments');
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("'unsafe-inline' 'nonce");
  expect(res.headers()).toMatchObject({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
  });
  expect(res.headers()['permissions-policy']).toContain('camera=()');
  // A fresh nonce per response.
  const again = (await page.request.get('/console/deployments')).headers()['content-security-policy'];
  expect(again).not.toBe(csp);
  const api = await page.request.get('/api/trpc/auth.me');
  expect([api.status(), api.headers()['cache-control'], api.headers()['x-content-type-options']]).toEqual([200, 'no-store', 'nosniff']);
});

test('no CSP violation on the pages staff visit', async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(STAFF.email);
  await page.getByLabel('Password').fill(STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await visit(page, '/admin', 'Tenants');
  await page.locator('[data-testid^="tenant-"] a').first().click();
  await expect(page.getByTestId('tenant-timeline')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await visit(page, '/admin/reconciler', /Reconciler/);
  await visit(page, '/admin/staff', /Staff/);
  expect(violations).toEqual([]);
});

test('redirect targets that browsers normalise to another host stay on this site', async ({ page, baseURL }) => {
  await newCustomer(page, 'Redirect Checks');
  for (const next of ['/\t/evil.example', '/\r/evil.example', '/\n/evil.example', '/\\evil.example', '//evil.example', 'https://evil.example/']) {
    for (const path of [`/console/switch?next=${encodeURIComponent(next)}`, `/sign-in?callbackUrl=${encodeURIComponent(next)}`]) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      const location = res.headers()['location'] ?? '';
      expect({ path, status: res.status() }).toMatchObject({ status: expect.any(Number) });
      expect({ path, origin: new URL(location, baseURL).origin }).toEqual({ path, origin: new URL(baseURL!).origin });
    }
  }
  // And in the browser itself: the page lands on the console, not elsewhere.
  await page.goto(`/console/switch?next=${encodeURIComponent('/\t/evil.example')}`);
  await expect(page).toHaveURL(/\/o\/[\w-]+\/deployments/);
});

test('a session cookie copied before sign-out no longer works after it', async ({ page, browser }) => {
  await newCustomer(page, 'Copied Cookies');
  const cookies = await page.context().cookies();
  const thief = await browser.newContext();
  await thief.addCookies(cookies);
  expect((await thief.request.get('/api/trpc/auth.me')).status()).toBe(200);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await thief.request.get('/api/trpc/auth.me')).status()).toBe(401);
  const stolenPage = await thief.newPage();
  await stolenPage.goto('/console');
  await expect(stolenPage).toHaveURL(/\/sign-in/);
  await thief.close();
});

// Keep this test last in the last spec: it spends this address's sign-up allowance (SIGNUPS_PER_HOUR) on purpose.
test('a client naming its own X-Forwarded-For still counts against its real address', async ({ request }) => {
  const statuses: number[] = [];
  for (let i = 0; i < SIGNUPS_PER_HOUR + 5 && !statuses.includes(429); i++) {
    const res = await request.post('/api/trpc/auth.signUp', {
      headers: { 'x-forwarded-for': `198.51.100.${i}`, 'content-type': 'application/json' },
      data: { json: { name: 'Spoof', email: `spoof-${Date.now()}-${i}@example.test`, password: 'a long enough passphrase' } },
    });
    statuses.push(res.status());
  }
  // Many different claimed addresses, one real one: the per-address sign-up limit still applies.
  expect(statuses).toContain(429);
});
