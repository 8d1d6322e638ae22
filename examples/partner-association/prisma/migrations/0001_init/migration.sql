-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CertificateStatus" AS ENUM ('VALID', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "OrganisationType" AS ENUM ('HUB', 'ASSOCIATION', 'BUREAU', 'INDUSTRY_BODY', 'FINANCIAL', 'REGULATOR', 'ENTERPRISE');

-- CreateTable
CREATE TABLE "QualityCertificate" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "product" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "validUntil" DATE NOT NULL,
    "inspectionNote" TEXT NOT NULL,
    "inspectorScore" INTEGER NOT NULL,
    "status" "CertificateStatus" NOT NULL DEFAULT 'VALID',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QualityCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SharingGrant" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "consumerOrganisationId" UUID,
    "consumerType" "OrganisationType",
    "classes" TEXT[],
    "purposes" TEXT[],
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "validUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" UUID NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SharingGrant_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "QualityCertificate_uscc_ownerId_idx" ON "QualityCertificate"("uscc", "ownerId");

-- CreateIndex
CREATE INDEX "SharingGrant_consumerOrganisationId_idx" ON "SharingGrant"("consumerOrganisationId");

-- CreateIndex
CREATE INDEX "SharingGrant_consumerType_idx" ON "SharingGrant"("consumerType");

-- CreateIndex
CREATE INDEX "SharingGrant_ownerId_idx" ON "SharingGrant"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_hash_key" ON "AuditEntry"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_uscc_seq_idx" ON "AuditEntry"("uscc", "seq");

-- CreateIndex
CREATE INDEX "AuditEntry_ownerId_seq_idx" ON "AuditEntry"("ownerId", "seq");


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
