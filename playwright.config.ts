import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const STAFF = { email: 'staff@plinth.test', password: 'staff-password-e2e' };
/** A support account: reads every tenant, changes nothing. */
export const SUPPORT = { email: 'support@plinth.test', password: 'support-password-e2e' };
/** Signed-in browser state per role, written once by e2e/auth.setup.ts and reused by the specs. */
export const AUTH = {
  customer: 'playwright/.auth/customer.json',
  staffAdmin: 'playwright/.auth/staff-admin.json',
  support: 'playwright/.auth/support.json',
};
const port = Number(process.env.E2E_PORT ?? 3100);
/** Every spec signs up its own customers from one address: more than the production default (20) allows. */
export const SIGNUPS_PER_HOUR = 60;
// Every run starts the built app on an empty embedded database, as a new user's machine would.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'plinth-e2e-'));

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  projects: [
    { name: 'auth', testMatch: /auth\.setup\.ts/ },
    { name: 'journeys', testMatch: /.*\.spec\.ts/, dependencies: ['auth'] },
  ],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // The documented first-admin command runs first, against the same empty database.
    command:
      `npx tsx scripts/admin-create.ts --email ${STAFF.email} --password '${STAFF.password}'` +
      ` && npx tsx scripts/admin-create.ts --email ${SUPPORT.email} --password '${SUPPORT.password}' --role support` +
      ` && node --import ./scripts/image/forwarded-for.mjs node_modules/next/dist/bin/next start -p ${port}`,
    url: `http://localhost:${port}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '', DATA_DIR: dataDir, DATABASE_URL: '', PLINTH_SANDBOX_LATENCY_MS: '400', PLINTH_SIGNUPS_PER_IP_HOUR: String(SIGNUPS_PER_HOUR), PLINTH_BILLING_INTERVAL_MS: '1000', PLINTH_SNAPSHOT_INTERVAL_MS: '1000', PLINTH_SANDBOX_FAIL_VERSIONS: '7.9.9', NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdout: 'pipe',
  },
});
