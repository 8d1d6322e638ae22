-- CreateEnum
CREATE TYPE "ObjectionStatus" AS ENUM ('OPEN', 'CORRECTED', 'UPHELD', 'REMOVED');

-- AlterTable
ALTER TABLE "CreditRecord" ADD COLUMN     "disputed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "statement" TEXT,
ADD COLUMN     "statementAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Objection" (
    "id" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "reason" TEXT NOT NULL,
    "filedAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "ObjectionStatus" NOT NULL DEFAULT 'OPEN',
    "answer" TEXT,
    "answeredAt" TIMESTAMPTZ(3),

    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "requestId" TEXT NOT NULL,
    "ownerId" UUID,
    "callerId" UUID,
    "callerType" TEXT,
    "purpose" TEXT,
    "uscc" CHAR(18),
    "action" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "fields" TEXT[],
    "detail" JSONB,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "seq" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "Objection_recordId_status_idx" ON "Objection"("recordId", "status");

-- CreateIndex
CREATE INDEX "Objection_ownerId_status_dueAt_idx" ON "Objection"("ownerId", "status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_uscc_seq_idx" ON "AuditEntry"("uscc", "seq");

-- CreateIndex
CREATE INDEX "AuditEntry_ownerId_seq_idx" ON "AuditEntry"("ownerId", "seq");

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "CreditRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- The audit log is append-only: no row may be changed or removed, whoever asks.
CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only (% on "%" refused)', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER "AuditEntry_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"();
CREATE TRIGGER "AuditCheckpoint_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditCheckpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"();
