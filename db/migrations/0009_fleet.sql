CREATE TYPE "public"."rollout_item_status" AS ENUM('scheduled', 'waiting', 'upgrading', 'done', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."rollout_status" AS ENUM('running', 'paused', 'cancelling', 'cancelled', 'completed');--> statement-breakpoint
CREATE TYPE "public"."version_severity" AS ENUM('regular', 'security', 'critical');--> statement-breakpoint
ALTER TYPE "public"."version_status" ADD VALUE 'preview' BEFORE 'available';--> statement-breakpoint
CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollout_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rollout_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"rollout_id" uuid NOT NULL,
	"wave" integer NOT NULL,
	"deployment_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"from_version" text NOT NULL,
	"status" "rollout_item_status" DEFAULT 'scheduled' NOT NULL,
	"not_before" timestamp with time zone,
	"defers" integer DEFAULT 0 NOT NULL,
	"upgrade_now" boolean DEFAULT false NOT NULL,
	"generation" integer,
	"reason" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rollout_waves" (
	"rollout_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"name" text NOT NULL,
	"size" integer NOT NULL,
	"max_concurrency" integer NOT NULL,
	"failure_budget_pct" double precision NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "rollout_waves_rollout_id_index_pk" PRIMARY KEY("rollout_id","index")
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"target_version" text NOT NULL,
	"severity" "version_severity" NOT NULL,
	"selector" jsonb NOT NULL,
	"status" "rollout_status" DEFAULT 'running' NOT NULL,
	"paused_reason" text,
	"starts_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone,
	"max_defers" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "upgrade_paths" (
	"product_id" uuid NOT NULL,
	"from_version" text NOT NULL,
	"to_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upgrade_paths_product_id_from_version_to_version_pk" PRIMARY KEY("product_id","from_version","to_version")
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "maintenance_window" jsonb;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "maintenance_window" jsonb;--> statement-breakpoint
ALTER TABLE "product_versions" ADD COLUMN "severity" "version_severity" DEFAULT 'regular' NOT NULL;--> statement-breakpoint
ALTER TABLE "product_versions" ADD COLUMN "notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollout_items" ADD CONSTRAINT "rollout_items_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_items" ADD CONSTRAINT "rollout_items_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_waves" ADD CONSTRAINT "rollout_waves_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upgrade_paths" ADD CONSTRAINT "upgrade_paths_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rollout_items_rollout_deployment_key" ON "rollout_items" USING btree ("rollout_id","deployment_id");--> statement-breakpoint
CREATE INDEX "rollout_items_rollout_wave_status_idx" ON "rollout_items" USING btree ("rollout_id","wave","status");--> statement-breakpoint
CREATE INDEX "rollout_items_deployment_idx" ON "rollout_items" USING btree ("deployment_id");--> statement-breakpoint
CREATE INDEX "rollouts_status_idx" ON "rollouts" USING btree ("status");