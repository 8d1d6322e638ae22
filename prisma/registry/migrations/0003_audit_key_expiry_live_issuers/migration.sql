-- DropIndex
DROP INDEX "IdentityProvider_issuer_key";

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "IdentityProvider" ADD COLUMN     "confirmedAt" TIMESTAMPTZ(3),
ADD COLUMN     "liveIssuer" TEXT;

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
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_uscc_seq_idx" ON "AuditEntry"("uscc", "seq");

-- CreateIndex
CREATE INDEX "AuditEntry_ownerId_seq_idx" ON "AuditEntry"("ownerId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "IdentityProvider_liveIssuer_key" ON "IdentityProvider"("liveIssuer");

-- CreateIndex
CREATE INDEX "IdentityProvider_issuer_idx" ON "IdentityProvider"("issuer");


-- Providers registered before confirmation existed were accepted as they were: they count as confirmed, and
-- the live ones hold their issuer (issuers were unique then, so this cannot collide).
UPDATE "IdentityProvider" SET "confirmedAt" = "createdAt";
UPDATE "IdentityProvider" SET "liveIssuer" = "issuer" WHERE "revokedAt" IS NULL;

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
