-- CreateTable
CREATE TABLE "Programme" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "criteria" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "Programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StandingReport" (
    "number" TEXT NOT NULL,
    "requesterId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "purpose" "Purpose" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StandingReport_pkey" PRIMARY KEY ("number")
);

-- CreateIndex
CREATE UNIQUE INDEX "Programme_ownerId_name_key" ON "Programme"("ownerId", "name");

-- CreateIndex
CREATE INDEX "StandingReport_requesterId_createdAt_idx" ON "StandingReport"("requesterId", "createdAt");

-- AddForeignKey
ALTER TABLE "Programme" ADD CONSTRAINT "Programme_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StandingReport" ADD CONSTRAINT "StandingReport_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

