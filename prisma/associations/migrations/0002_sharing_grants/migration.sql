-- CreateEnum
CREATE TYPE "OrganisationType" AS ENUM ('HUB', 'ASSOCIATION', 'BUREAU', 'INDUSTRY_BODY', 'FINANCIAL', 'REGULATOR', 'ENTERPRISE');

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

-- CreateIndex
CREATE INDEX "SharingGrant_consumerOrganisationId_idx" ON "SharingGrant"("consumerOrganisationId");

-- CreateIndex
CREATE INDEX "SharingGrant_consumerType_idx" ON "SharingGrant"("consumerType");

-- CreateIndex
CREATE INDEX "SharingGrant_ownerId_idx" ON "SharingGrant"("ownerId");

