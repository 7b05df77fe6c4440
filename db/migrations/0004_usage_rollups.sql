CREATE TABLE "usage_deployment_daily" (
	"org_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"meter" text NOT NULL,
	"day" date NOT NULL,
	"quantity" double precision NOT NULL,
	"amount_centi_cents" bigint NOT NULL,
	CONSTRAINT "usage_deployment_daily_deployment_id_meter_day_pk" PRIMARY KEY("deployment_id","meter","day")
);
--> statement-breakpoint
CREATE TABLE "usage_org_hourly" (
	"org_id" uuid NOT NULL,
	"meter" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"quantity" double precision NOT NULL,
	"amount_centi_cents" bigint NOT NULL,
	CONSTRAINT "usage_org_hourly_org_id_meter_hour_start_pk" PRIMARY KEY("org_id","meter","hour_start")
);
--> statement-breakpoint
CREATE INDEX "usage_deployment_daily_org_day_idx" ON "usage_deployment_daily" USING btree ("org_id","day");