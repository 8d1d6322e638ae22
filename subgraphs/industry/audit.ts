import type { PrismaClient } from "../../prisma/industry/generated/client.ts";
import type { AuditDb } from "../sdk/audit.ts";

/** This subgraph's audit log over its own AuditEntry and AuditCheckpoint tables. */
export function auditLog(db: PrismaClient): AuditDb {
  return {
    transaction: (fn) => db.$transaction((tx) => fn(tx)),
    auditEntry: db.auditEntry,
    auditCheckpoint: db.auditCheckpoint,
  };
}
