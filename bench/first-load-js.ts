/**
 * First-load JavaScript of the landing page and the console, as a browser downloads it (gzip, as served by
 * `next start`) and decoded. Signs up a fresh user through the UI to reach the console.
 *
 *   BASE_URL=http://localhost:3000 npx tsx bench/first-load-js.ts
 */
import { chromium, type Page } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://localhost:3000';

async function measure(page: Page, url: string, label: string) {
  const sizes: Array<Promise<{ wire: number; decoded: number }>> = [];
  const onResponse = (res: import('@playwright/test').Response) => {
    if (res.request().resourceType() !== 'script') return;
    sizes.push(
      (async () => {
        const body = await res.body().catch(() => Buffer.alloc(0));
        const sizes = await res.request().sizes().catch(() => ({ responseBodySize: body.length }));
        return { wire: sizes.responseBodySize, decoded: body.length };
      })(),
    );
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'networkidle' });
  page.off('response', onResponse);
  const all = await Promise.all(sizes);
  const kb = (n: number) => (n / 1024).toFixed(1);
  console.log(`first_load_js_${label}_kb: ${kb(all.reduce((a, s) => a + s.wire, 0))} KiB transferred, ${kb(all.reduce((a, s) => a + s.decoded, 0))} KiB decoded, ${all.length} files`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext()).newPage();
  await measure(page, `${base}/`, 'landing');
  await page.goto(`${base}/sign-up`);
  await page.getByLabel('Work email').fill(`bench-${Date.now()}@plinth.test`);
  await page.getByLabel('Password').fill('bench-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Organization name').fill('Bench');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/console\//);
  // A new context with the same cookies: nothing cached, as on a first visit.
  const state = await page.context().storageState();
  const fresh = await (await browser.newContext({ storageState: state })).newPage();
  await measure(fresh, `${base}/console/deployments`, 'console');
} finally {
  await browser.close();
}
