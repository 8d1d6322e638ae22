-- CreateEnum
CREATE TYPE "EvaluationStatus" AS ENUM ('VALID', 'EXPIRED', 'VOIDED');

-- CreateEnum
CREATE TYPE "SanctionLevel" AS ENUM ('WARNING', 'NOTICE_OF_CRITICISM', 'PUBLIC_CONDEMNATION', 'MEMBERSHIP_REVOKED', 'REPORTED_TO_AUTHORITIES');

-- CreateEnum
CREATE TYPE "SanctionStatus" AS ENUM ('ACTIVE', 'WITHDRAWN', 'REPAIRED');

-- CreateEnum
CREATE TYPE "ListKind" AS ENUM ('RED', 'BLACK', 'WATCH');

-- CreateEnum
CREATE TYPE "ListEntryStatus" AS ENUM ('ACTIVE', 'EXITED');

-- CreateTable
CREATE TABLE "EvaluatorCode" (
    "ownerId" UUID NOT NULL,
    "code" CHAR(3) NOT NULL,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EvaluatorCode_pkey" PRIMARY KEY ("ownerId")
);

-- CreateTable
CREATE TABLE "EvaluationMethodology" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "indicators" JSONB NOT NULL,
    "gradeFloors" JSONB NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EvaluationMethodology_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "methodologyId" UUID NOT NULL,
    "scores" JSONB NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "grade" TEXT NOT NULL,
    "certificateNumber" CHAR(15) NOT NULL,
    "agencyId" UUID,
    "issuedOn" DATE NOT NULL,
    "validUntil" DATE NOT NULL,
    "status" "EvaluationStatus" NOT NULL DEFAULT 'VALID',
    "voidedAt" TIMESTAMPTZ(3),
    "voidReason" TEXT,
    "voidingSanctionId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateSerial" (
    "ownerId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "CertificateSerial_pkey" PRIMARY KEY ("ownerId","year")
);

-- CreateTable
CREATE TABLE "Convention" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "adoptedOn" DATE NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Convention_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sanction" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "level" "SanctionLevel" NOT NULL,
    "conventionId" UUID NOT NULL,
    "clause" TEXT,
    "reason" TEXT NOT NULL,
    "decidedOn" DATE NOT NULL,
    "status" "SanctionStatus" NOT NULL DEFAULT 'ACTIVE',
    "endedOn" DATE,
    "endReason" TEXT,
    "recordId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Sanction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ListEntry" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "list" "ListKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "enteredOn" DATE NOT NULL,
    "exitEligibleOn" DATE,
    "status" "ListEntryStatus" NOT NULL DEFAULT 'ACTIVE',
    "exitedOn" DATE,
    "exitReason" TEXT,
    "objection" TEXT,
    "objectedAt" TIMESTAMPTZ(3),
    "objectionDueAt" TIMESTAMPTZ(3),
    "objectionAnswer" TEXT,
    "objectionAnsweredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ListEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EvaluatorCode_code_key" ON "EvaluatorCode"("code");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationMethodology_ownerId_version_key" ON "EvaluationMethodology"("ownerId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_certificateNumber_key" ON "Evaluation"("certificateNumber");

-- CreateIndex
CREATE INDEX "Evaluation_uscc_status_idx" ON "Evaluation"("uscc", "status");

-- CreateIndex
CREATE INDEX "Evaluation_ownerId_idx" ON "Evaluation"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "Convention_ownerId_version_key" ON "Convention"("ownerId", "version");

-- CreateIndex
CREATE INDEX "Sanction_uscc_status_idx" ON "Sanction"("uscc", "status");

-- CreateIndex
CREATE INDEX "Sanction_ownerId_idx" ON "Sanction"("ownerId");

-- CreateIndex
CREATE INDEX "ListEntry_uscc_status_idx" ON "ListEntry"("uscc", "status");

-- CreateIndex
CREATE INDEX "ListEntry_ownerId_idx" ON "ListEntry"("ownerId");

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_methodologyId_fkey" FOREIGN KEY ("methodologyId") REFERENCES "EvaluationMethodology"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sanction" ADD CONSTRAINT "Sanction_conventionId_fkey" FOREIGN KEY ("conventionId") REFERENCES "Convention"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- At most one valid evaluation per enterprise, whichever association issued it: the database decides between
-- two associations evaluating at once. (Expired ones are marked EXPIRED before a new one is written.)
CREATE UNIQUE INDEX "Evaluation_one_valid_per_enterprise" ON "Evaluation"("uscc") WHERE "status" = 'VALID';
