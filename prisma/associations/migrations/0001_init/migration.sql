-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "MembershipStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'ENDED');

-- CreateEnum
CREATE TYPE "Polarity" AS ENUM ('POSITIVE', 'NEGATIVE');

-- CreateEnum
CREATE TYPE "CreditCategory" AS ENUM ('AWARD', 'CERTIFICATION', 'CONTRACT_PERFORMANCE', 'PAYMENT', 'CONTRACT_BREACH', 'PRODUCT_QUALITY', 'ADMINISTRATIVE_PENALTY', 'JUDICIAL', 'TAX', 'SELF_DISCIPLINE', 'OTHER');

-- CreateEnum
CREATE TYPE "RecordStatus" AS ENUM ('ACTIVE', 'RETRACTED');

-- CreateEnum
CREATE TYPE "PartnerRelation" AS ENUM ('SUPPLIER', 'CUSTOMER');

-- CreateEnum
CREATE TYPE "PartnerIndicator" AS ENUM ('PAYMENT_PUNCTUALITY', 'CONTRACT_FULFILMENT', 'PRODUCT_QUALITY');

-- CreateEnum
CREATE TYPE "PartnerAssessment" AS ENUM ('GOOD', 'FAIR', 'POOR');

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "status" "MembershipStatus" NOT NULL DEFAULT 'ACTIVE',
    "level" TEXT,
    "joinedOn" DATE NOT NULL,
    "leftOn" DATE,
    "endReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditRecord" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "polarity" "Polarity" NOT NULL,
    "category" "CreditCategory" NOT NULL,
    "summary" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "occurredOn" DATE NOT NULL,
    "endedOn" DATE,
    "evidenceRef" TEXT,
    "status" "RecordStatus" NOT NULL DEFAULT 'ACTIVE',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CreditRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditRecordRevision" (
    "id" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "previous" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "changedBy" UUID NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditRecordRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TradingPartnerReport" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "reporterUscc" CHAR(18) NOT NULL,
    "partnerUscc" CHAR(18) NOT NULL,
    "relation" "PartnerRelation" NOT NULL,
    "indicator" "PartnerIndicator" NOT NULL,
    "assessment" "PartnerAssessment" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TradingPartnerReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Membership_uscc_idx" ON "Membership"("uscc");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_ownerId_uscc_key" ON "Membership"("ownerId", "uscc");

-- CreateIndex
CREATE INDEX "CreditRecord_uscc_ownerId_idx" ON "CreditRecord"("uscc", "ownerId");

-- CreateIndex
CREATE INDEX "CreditRecord_ownerId_updatedAt_idx" ON "CreditRecord"("ownerId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CreditRecordRevision_recordId_version_key" ON "CreditRecordRevision"("recordId", "version");

-- CreateIndex
CREATE INDEX "TradingPartnerReport_partnerUscc_ownerId_idx" ON "TradingPartnerReport"("partnerUscc", "ownerId");

-- AddForeignKey
ALTER TABLE "CreditRecordRevision" ADD CONSTRAINT "CreditRecordRevision_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "CreditRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

