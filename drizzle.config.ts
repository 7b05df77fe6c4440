import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema.ts and checked in; every process applies them when it opens the
// database (openDatabase in db/client.ts), and `npm run db:migrate` (scripts/migrate.ts) does it ahead of a roll-out.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
