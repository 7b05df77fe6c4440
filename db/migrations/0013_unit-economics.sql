CREATE TABLE "cost_events" (
	"deployment_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"plan_slug" text NOT NULL,
	"region" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"hours" double precision NOT NULL,
	"amount_centi_cents" bigint NOT NULL,
	"final" boolean DEFAULT false NOT NULL,
	CONSTRAINT "cost_events_deployment_id_plan_slug_hour_start_pk" PRIMARY KEY("deployment_id","plan_slug","hour_start")
);
--> statement-breakpoint
CREATE TABLE "cost_rates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cost_rates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"plan_slug" text NOT NULL,
	"region" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"compute_centi_cents_per_hour" integer NOT NULL,
	"storage_centi_cents_per_gb_hour" integer NOT NULL,
	"shared_cluster_centi_cents_per_hour" integer DEFAULT 0 NOT NULL,
	"overhead_centi_cents_per_hour" integer NOT NULL,
	"created_by" uuid,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "economics_daily" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"plan_slug" text NOT NULL,
	"region" text NOT NULL,
	"cost_centi_cents" bigint DEFAULT 0 NOT NULL,
	"revenue_centi_cents" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "economics_daily_org_id_day_plan_slug_region_pk" PRIMARY KEY("org_id","day","plan_slug","region")
);
--> statement-breakpoint
CREATE TABLE "economics_monthly" (
	"org_id" uuid NOT NULL,
	"month" date NOT NULL,
	"plan_slug" text NOT NULL,
	"region" text NOT NULL,
	"cost_centi_cents" bigint DEFAULT 0 NOT NULL,
	"revenue_centi_cents" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "economics_monthly_org_id_month_plan_slug_region_pk" PRIMARY KEY("org_id","month","plan_slug","region")
);
--> statement-breakpoint
CREATE TABLE "economics_plan_region_daily" (
	"day" date NOT NULL,
	"plan_slug" text NOT NULL,
	"region" text NOT NULL,
	"cost_centi_cents" bigint NOT NULL,
	"revenue_centi_cents" bigint NOT NULL,
	CONSTRAINT "economics_plan_region_daily_day_plan_slug_region_pk" PRIMARY KEY("day","plan_slug","region")
);
--> statement-breakpoint
CREATE TABLE "economics_tenant_days" (
	"day" date NOT NULL,
	"org_id" uuid NOT NULL,
	"cost_cum" bigint NOT NULL,
	"revenue_cum" bigint NOT NULL,
	"credits_granted_cum" bigint NOT NULL,
	"credits_consumed_cum" bigint NOT NULL,
	CONSTRAINT "economics_tenant_days_day_org_id_pk" PRIMARY KEY("day","org_id")
);
--> statement-breakpoint
CREATE TABLE "economics_tenants" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"invoiced_through" date
);
--> statement-breakpoint
CREATE TABLE "margin_states" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"negative" boolean NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_segments" ADD COLUMN "state" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "infra_hourly_cost_centi_cents" integer;--> statement-breakpoint
ALTER TABLE "cost_rates" ADD CONSTRAINT "cost_rates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cost_events_hour_idx" ON "cost_events" USING btree ("hour_start");--> statement-breakpoint
CREATE INDEX "cost_events_org_hour_idx" ON "cost_events" USING btree ("org_id","hour_start");--> statement-breakpoint
CREATE UNIQUE INDEX "cost_rates_plan_region_from_key" ON "cost_rates" USING btree ("plan_slug","region","effective_from");--> statement-breakpoint
CREATE INDEX "economics_daily_day_idx" ON "economics_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "economics_monthly_month_idx" ON "economics_monthly" USING btree ("month");--> statement-breakpoint
CREATE INDEX "credit_entries_created_idx" ON "credit_entries" USING btree ("created_at");--> statement-breakpoint
-- hand-written
-- The cost model is append-only like the audit log: a change is a new row from its effective time, so the cost
-- of an hour already metered can never be rewritten.
CREATE TRIGGER cost_rates_append_only BEFORE UPDATE OR DELETE ON cost_rates FOR EACH ROW EXECUTE FUNCTION plinth_refuse_change();
