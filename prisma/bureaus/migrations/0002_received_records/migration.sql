-- CreateEnum
CREATE TYPE "ReceivedRecordStatus" AS ENUM ('ACTIVE', 'RETRACTED');

-- CreateTable
CREATE TABLE "ReceivedRecord" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "sourceOwnerId" UUID NOT NULL,
    "sourceRecordId" UUID NOT NULL,
    "sourceSeq" BIGINT NOT NULL,
    "lastChange" TEXT NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "polarity" "BureauPolarity" NOT NULL,
    "category" TEXT NOT NULL,
    "occurredOn" DATE NOT NULL,
    "endedOn" DATE,
    "status" "ReceivedRecordStatus" NOT NULL,
    "disputed" BOOLEAN NOT NULL,
    "statement" TEXT,
    "signed" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReceivedRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedCursor" (
    "ownerId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FeedCursor_pkey" PRIMARY KEY ("ownerId","source")
);

-- CreateIndex
CREATE INDEX "ReceivedRecord_uscc_ownerId_idx" ON "ReceivedRecord"("uscc", "ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "ReceivedRecord_ownerId_source_sourceRecordId_key" ON "ReceivedRecord"("ownerId", "source", "sourceRecordId");

