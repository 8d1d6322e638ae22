import type { AuditDb } from "../../subgraphs/sdk/audit.ts";
import type { PrismaClient } from "./prisma/generated/client.ts";

/** The partner's audit log over its own AuditEntry and AuditCheckpoint tables. */
export function auditLog(db: PrismaClient): AuditDb {
  return {
    transaction: (fn) => db.$transaction((tx) => fn(tx)),
    auditEntry: db.auditEntry,
    auditCheckpoint: db.auditCheckpoint,
  };
}
