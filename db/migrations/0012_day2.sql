ALTER TYPE "public"."deployment_phase" ADD VALUE 'stopped';--> statement-breakpoint
ALTER TYPE "public"."operation_kind" ADD VALUE 'stop';--> statement-breakpoint
ALTER TYPE "public"."operation_kind" ADD VALUE 'start';--> statement-breakpoint
ALTER TABLE "billing_segments" ADD COLUMN "compute" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "drift_policy" text;--> statement-breakpoint
ALTER TABLE "sandbox_resources" ADD COLUMN "injected_fault" text;--> statement-breakpoint
-- hand-written
-- Ready deployments converged before continuous resync had no next look (next_reconcile_at null): spread their
-- first resync over the default interval (10 min) so an upgrade does not wake them all at once.
UPDATE "deployments" SET "next_reconcile_at" = now() + random() * interval '10 minutes'
  WHERE "phase" = 'ready' AND "deleted_at" IS NULL AND "deletion_requested_at" IS NULL AND "next_reconcile_at" IS NULL;
--> statement-breakpoint
-- The staff reconciler page lists degraded and drifted deployments every 5 s: a partial index on the few of them.
CREATE INDEX IF NOT EXISTS "deployments_attention_idx" ON "deployments" ("updated_at")
  WHERE "deleted_at" IS NULL AND ("conditions" @> '[{"type":"Degraded","status":true}]' OR "conditions" @> '[{"type":"Drifted","status":true}]');
--> statement-breakpoint
-- Snapshots are not built yet: the Starter plan stops promising them (seed.ts says the same for new installs).
UPDATE "plans" SET "features" = (SELECT jsonb_agg(CASE WHEN f = '"Daily snapshots"'::jsonb THEN '"Stop and start, data kept"'::jsonb ELSE f END) FROM jsonb_array_elements("features") AS f)
  WHERE "features" ? 'Daily snapshots';
