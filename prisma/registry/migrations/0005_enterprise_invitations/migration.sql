-- CreateTable
CREATE TABLE "Invitation" (
    "id" VARCHAR(32) NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "invitedBy" UUID NOT NULL,
    "secretHash" CHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "organisationId" UUID,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Invitation_uscc_idx" ON "Invitation"("uscc");

