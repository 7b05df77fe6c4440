CREATE TABLE "snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"spec" jsonb NOT NULL,
	"size_bytes" bigint,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "restored_from_snapshot_id" uuid;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "snapshot_retention_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "snapshots_deployment_idx" ON "snapshots" USING btree ("deployment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "snapshots_one_pending_key" ON "snapshots" USING btree ("deployment_id") WHERE "snapshots"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "snapshots_due_idx" ON "snapshots" USING btree ("next_attempt_at") WHERE "snapshots"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "snapshots_expiry_idx" ON "snapshots" USING btree ("expires_at") WHERE "snapshots"."status" = 'available';--> statement-breakpoint
-- hand-written: installations seeded before snapshots existed get the shipped plans' retention and its line on
-- the pricing page (the seed only inserts missing rows).
UPDATE "plans" SET "snapshot_retention_days" = v.days,
  "features" = CASE WHEN "features" @> to_jsonb(ARRAY[v.line]) THEN "features" ELSE "features" || to_jsonb(ARRAY[v.line]) END
FROM (VALUES ('starter', 7, 'Daily snapshots, kept 7 days'), ('pro', 14, 'Daily snapshots, kept 14 days'), ('enterprise', 30, 'Daily snapshots, kept 30 days')) AS v(slug, days, line)
WHERE "plans"."slug" = v.slug AND "plans"."snapshot_retention_days" = 0;
