import type { PrismaClient } from "../../prisma/associations/generated/client.ts";
import type { AuditAction, AuditDb, JsonObject } from "../kit/audit.ts";

/** The audit entry for a change the calling association (or enterprise) made to a member's file. */
export function changeEntry(
  row: { ownerId: string; uscc: string },
  what: string,
  detail: JsonObject,
  action: AuditAction = "WRITE",
) {
  return { ownerId: row.ownerId, uscc: row.uscc, action, decision: "RECORDED" as const, fields: [what], detail };
}

/** This subgraph's audit log over its own AuditEntry and AuditCheckpoint tables. */
export function auditLog(db: PrismaClient): AuditDb {
  return {
    transaction: (fn) => db.$transaction((tx) => fn(tx)),
    auditEntry: db.auditEntry,
    auditCheckpoint: db.auditCheckpoint,
  };
}
