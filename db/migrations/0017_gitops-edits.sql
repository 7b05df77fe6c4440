CREATE TABLE "gitops_edits" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gitops_edits_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"repo" text NOT NULL,
	"deployment" text NOT NULL,
	"edit" jsonb NOT NULL,
	"generation" integer,
	"message" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "gitops_edits_queued_idx" ON "gitops_edits" USING btree ("repo","seq") WHERE "gitops_edits"."result" is null;