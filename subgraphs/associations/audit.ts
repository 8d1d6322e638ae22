import type { AuditAction, JsonObject } from "../kit/audit.ts";

/** The audit entry for a change the calling association (or enterprise) made to a member's file. */
export function changeEntry(
  row: { ownerId: string; uscc: string },
  what: string,
  detail: JsonObject,
  action: AuditAction = "WRITE",
) {
  return { ownerId: row.ownerId, uscc: row.uscc, action, decision: "RECORDED" as const, fields: [what], detail };
}
