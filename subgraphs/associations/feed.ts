import { lockWriteOrder } from "../sdk/audit.ts";
import type { AssociationsContext } from "./owner.ts";

type Tx = Parameters<Parameters<AssociationsContext["db"]["$transaction"]>[0]>[0];

export type ChangeKind = "NEW" | "CORRECTED" | "DISPUTED" | "RESOLVED" | "EXPIRED" | "RETRACTED";

/**
 * Numbers a change to credit records for the bureau feed, in the change's own
 * transaction and under the write-order lock, so the feed's sequence is the
 * commit order: a reader paging by sequence never skips a change that commits late.
 */
export async function recordChanges(
  tx: Tx,
  records: { id: string; ownerId: string; uscc: string }[],
  kind: ChangeKind,
  at: Date,
): Promise<void> {
  if (records.length === 0) return;
  await lockWriteOrder(tx);
  const head = await tx.recordChange.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
  let seq = head?.seq ?? 0n;
  await tx.recordChange.createMany({
    data: records.map((r) => {
      seq += 1n;
      return { seq, recordId: r.id, ownerId: r.ownerId, uscc: r.uscc, kind, at };
    }),
  });
}
