-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "ownerIds" TEXT[],
ADD COLUMN     "receipt" TEXT;

-- CreateTable
CREATE TABLE "ConsentRequest" (
    "id" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "requesterId" UUID NOT NULL,
    "purpose" "Purpose" NOT NULL,
    "ownerIds" TEXT[],
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

-- CreateIndex
CREATE UNIQUE INDEX "ConsentRequest_consentId_key" ON "ConsentRequest"("consentId");

-- CreateIndex
CREATE INDEX "ConsentRequest_uscc_createdAt_idx" ON "ConsentRequest"("uscc", "createdAt");

-- CreateIndex
CREATE INDEX "ConsentRequest_requesterId_createdAt_idx" ON "ConsentRequest"("requesterId", "createdAt");

-- AddForeignKey
ALTER TABLE "ConsentRequest" ADD CONSTRAINT "ConsentRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRequest" ADD CONSTRAINT "ConsentRequest_consentId_fkey" FOREIGN KEY ("consentId") REFERENCES "Consent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

