CREATE TABLE "worker_heartbeats" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"beat_every_ms" integer NOT NULL,
	"passes" integer DEFAULT 0 NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
-- hand-written
-- The pricing page promises only what Plinth does: no SLA exists, and BYOC is set up with Plinth staff (db/seed.ts
-- has the same list for new installs; the seed never overwrites an existing plan).
UPDATE "plans" SET "features" = '["Dedicated cluster","Your own cloud account (BYOC), set up with our team","Up to 5 replicas","Priority support"]'::jsonb, "summary" = 'Dedicated cluster, optionally in your own cloud account.' WHERE "slug" = 'enterprise' AND "features" @> '["99.95% SLA"]'::jsonb;
