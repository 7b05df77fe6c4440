import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema.ts and checked in; the app applies them at start (db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
