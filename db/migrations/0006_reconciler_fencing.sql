ALTER TABLE "deployments" ADD COLUMN "unfinished_passes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sandbox_resources" ADD COLUMN "generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- A sandbox that ever made a second live copy keeps the newest; the others are marked destroyed.
UPDATE "sandbox_resources" s SET "destroyed_at" = now() WHERE s."destroyed_at" IS NULL AND EXISTS (SELECT 1 FROM "sandbox_resources" n WHERE n."deployment_id" = s."deployment_id" AND n."kind" = s."kind" AND n."destroyed_at" IS NULL AND n."id" > s."id");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_resources_live_key" ON "sandbox_resources" USING btree ("deployment_id","kind") WHERE "sandbox_resources"."destroyed_at" is null;