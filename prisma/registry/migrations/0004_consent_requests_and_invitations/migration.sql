-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "ownerIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "receipt" TEXT;

-- CreateTable
CREATE TABLE "ConsentRequest" (
    "id" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "requesterId" UUID NOT NULL,
    "purpose" "Purpose" NOT NULL,
    "ownerIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "days" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answerBy" TIMESTAMPTZ(3) NOT NULL,
    "answeredAt" TIMESTAMPTZ(3),
    "answer" TEXT,
    "reason" TEXT,
    "consentId" UUID,

    CONSTRAINT "ConsentRequest_pkey" PRIMARY KEY ("id")
);

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
CREATE UNIQUE INDEX "ConsentRequest_consentId_key" ON "ConsentRequest"("consentId");

-- CreateIndex
CREATE INDEX "ConsentRequest_uscc_createdAt_idx" ON "ConsentRequest"("uscc", "createdAt");

-- CreateIndex
CREATE INDEX "ConsentRequest_requesterId_createdAt_idx" ON "ConsentRequest"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "Invitation_uscc_idx" ON "Invitation"("uscc");

-- AddForeignKey
ALTER TABLE "ConsentRequest" ADD CONSTRAINT "ConsentRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRequest" ADD CONSTRAINT "ConsentRequest_consentId_fkey" FOREIGN KEY ("consentId") REFERENCES "Consent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

