-- Roles for running Plinth as a database user that owns nothing (docs/database-roles.md).
-- Apply as a superuser (or the database owner) in Plinth's database, after the migrations, and again after any
-- migration that adds tables. Idempotent. Passwords are set separately: ALTER ROLE plinth_app PASSWORD '…'.
--
--   plinth_owner  owns the schema; used only by `npm run db:migrate` (deploy pipelines, DBAs)
--   plinth_app    what the web and worker processes connect as (PLINTH_MIGRATE_ON_START=0)
--
-- plinth_app reads and writes rows, but cannot TRUNCATE, ALTER or DROP anything, cannot disable the triggers that
-- keep the audit log and credit ledger append-only (only an owner or superuser can), and may only INSERT into
-- those two tables.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plinth_owner') THEN CREATE ROLE plinth_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plinth_app') THEN CREATE ROLE plinth_app LOGIN; END IF;
END $$;

GRANT CONNECT ON DATABASE current_database_placeholder TO plinth_owner, plinth_app;
GRANT USAGE ON SCHEMA public TO plinth_app;
GRANT USAGE, CREATE ON SCHEMA public TO plinth_owner;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO plinth_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO plinth_app;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM plinth_app;
REVOKE UPDATE, DELETE ON audit_log, credit_entries FROM plinth_app;

-- The migrations' own bookkeeping is read at start only when PLINTH_MIGRATE_ON_START is not 0.
GRANT USAGE ON SCHEMA drizzle TO plinth_app;
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO plinth_app;
