-- CreateTable
CREATE TABLE "RecordChange" (
    "seq" BIGINT NOT NULL,
    "recordId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RecordChange_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "RecordChange_ownerId_seq_idx" ON "RecordChange"("ownerId", "seq");

