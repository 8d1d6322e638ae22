import { RETENTION_YEARS, retentionCutoff } from "../../sdk/retention.ts";
import { isoDate } from "../../sdk/validation.ts";

/**
 * Retention of credit records (the seed policy: a negative record stops being
 * shared five years after the behaviour ended, then is purged). Until it is
 * purged its owner still sees it; nobody else does.
 */

export { RETENTION_YEARS, retentionCutoff };

/** A negative record whose behaviour ended five years ago or more: no longer shared, due to be purged. */
export function pastRetention(record: { polarity: string; endedOn: Date | null }, now: Date): boolean {
  return record.polarity === "NEGATIVE" && record.endedOn !== null && record.endedOn <= retentionCutoff(now);
}

/** Whether a caller (an organisation id, or null when nobody signed in) may still be shown a record. */
export function shownDespiteRetention(
  record: { ownerId: string; polarity: string; endedOn: Date | null },
  callerId: string | null,
  now: Date,
): boolean {
  return callerId === record.ownerId || !pastRetention(record, now);
}

/** A change to a record as a bureau may keep it: the record's SHARED fields, or none once it is no longer shared. */
export function sharedChange(
  change: { seq: bigint; kind: string; at: Date; ownerId: string; uscc: string; recordId: string },
  record: {
    polarity: string;
    category: string;
    occurredOn: Date;
    endedOn: Date | null;
    status: string;
    disputed: boolean;
    statement: string | null;
  } | null,
  now: Date,
): Record<string, unknown> {
  const r = record && !pastRetention(record, now) ? record : null;
  return {
    seq: change.seq.toString(),
    kind: change.kind,
    at: change.at.toISOString(),
    owner: change.ownerId,
    uscc: change.uscc,
    recordId: change.recordId,
    record: r && {
      polarity: r.polarity,
      category: r.category,
      occurredOn: isoDate(r.occurredOn),
      endedOn: r.endedOn ? isoDate(r.endedOn) : null,
      status: r.status,
      disputed: r.disputed,
      statement: r.statement,
    },
  };
}
