CREATE TABLE "org_offboardings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"step" text DEFAULT 'deployments' NOT NULL,
	"deployments_marked_at" timestamp with time zone,
	"deployments_done_at" timestamp with time zone,
	"invoice_id" uuid,
	"invoiced_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"receipt_sent_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "deletion_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "org_offboardings" ADD CONSTRAINT "org_offboardings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_offboardings" ADD CONSTRAINT "org_offboardings_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_offboardings" ADD CONSTRAINT "org_offboardings_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "org_offboardings_org_key" ON "org_offboardings" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "org_offboardings_open_idx" ON "org_offboardings" USING btree ("next_attempt_at") WHERE "org_offboardings"."completed_at" is null;