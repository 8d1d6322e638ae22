-- CreateEnum
CREATE TYPE "Purpose" AS ENUM ('LOAN_APPROVAL', 'CREDIT_CARD_APPROVAL', 'GUARANTEE_REVIEW', 'POST_LOAN_MONITORING', 'INSURANCE_UNDERWRITING', 'CREDIT_REPORTING', 'SUPERVISION', 'TRADE_PARTNER_REVIEW', 'DISPUTE_MEDIATION');

-- CreateTable
CREATE TABLE "IdentityProvider" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "jwks" JSONB NOT NULL,
    "roles" "Role"[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "IdentityProvider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "consumerId" UUID NOT NULL,
    "purpose" "Purpose" NOT NULL,
    "grantedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IdentityProvider_issuer_key" ON "IdentityProvider"("issuer");

-- CreateIndex
CREATE INDEX "IdentityProvider_organisationId_idx" ON "IdentityProvider"("organisationId");

-- CreateIndex
CREATE INDEX "Consent_consumerId_purpose_uscc_idx" ON "Consent"("consumerId", "purpose", "uscc");

-- CreateIndex
CREATE INDEX "Consent_uscc_idx" ON "Consent"("uscc");

-- AddForeignKey
ALTER TABLE "IdentityProvider" ADD CONSTRAINT "IdentityProvider_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_consumerId_fkey" FOREIGN KEY ("consumerId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

