import type { PrismaClient } from "../../prisma/associations/generated/client.ts";
import { appendAudit, changeEntry } from "../sdk/audit.ts";
import { RETENTION_YEARS, retentionCutoff } from "../sdk/retention.ts";
import { recordChanges } from "./feed.ts";

/**
 * Purges negative records past retention, with their revisions and
 * objections, recording each purge in the audit log in the same transaction.
 * Returns how many records were purged.
 */
export async function purgeExpiredRecords(db: PrismaClient, now: Date, batchSize = 500): Promise<number> {
  let purged = 0;
  for (;;) {
    const batch = await db.creditRecord.findMany({
      where: { polarity: "NEGATIVE", endedOn: { lte: retentionCutoff(now) } },
      select: { id: true, ownerId: true, uscc: true, endedOn: true, category: true },
      take: batchSize,
    });
    if (batch.length === 0) return purged;
    await db.$transaction(async (tx) => {
      await tx.creditRecord.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
      await recordChanges(tx, batch, "EXPIRED", now);
      await appendAudit(
        tx,
        batch.map((r) => ({
          ...changeEntry(
            r,
            "CreditRecord",
            {
              purged: r.id,
              category: r.category,
              endedOn: r.endedOn?.toISOString().slice(0, 10) ?? null,
              rule: `negative record ${RETENTION_YEARS} years after the behaviour ended`,
            },
            "PURGE",
          ),
          requestId: `retention-${now.toISOString()}`,
          callerId: null,
          callerType: null,
          purpose: null,
        })),
        now,
      );
    });
    purged += batch.length;
  }
}
