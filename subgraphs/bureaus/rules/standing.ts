import { type Finding, finding } from "../../sdk/findings.ts";
import { filesByOwner } from "../../sdk/loaders.ts";
import { negativeInForce } from "../../sdk/retention.ts";

/**
 * The bureaus' part of a bank's standing check, as plain rules: one bureau's
 * records in force about an enterprise, and what in them speaks against it.
 */

export interface BureauRecordFacts {
  ownerId: string;
  polarity: string;
  category: string;
  endedOn: Date | null;
}

export interface BureauFileFacts<R extends BureauRecordFacts = BureauRecordFacts> {
  ownerId: string;
  uscc: string;
  /** Negative records past retention are left out: they no longer count against the enterprise. */
  records: R[];
}

/** Each bureau's file on the enterprise, from its active records (newest first). */
export function bureauFiles<R extends BureauRecordFacts>(
  uscc: string,
  records: readonly R[],
  now: Date,
): BureauFileFacts<R>[] {
  return filesByOwner(
    uscc,
    records.filter((r) => r.polarity !== "NEGATIVE" || negativeInForce(r, now)),
  );
}

export const negatives = <R extends BureauRecordFacts>(f: BureauFileFacts<R>): R[] =>
  f.records.filter((r) => r.polarity === "NEGATIVE");

export const negativeCategories = (f: BureauFileFacts): string[] => [...new Set(negatives(f).map((r) => r.category))];

/** What one bureau's file says about the enterprise (empty: nothing to say). */
export function bureauFindings(f: BureauFileFacts): Finding[] {
  const bad = negatives(f);
  if (!bad.length) return [];
  const categories = negativeCategories(f).join(", ");
  return [
    finding("NEGATIVE_RECORD", true, {
      value: bad.length,
      label: categories,
      since: bad[0]?.endedOn ?? null,
      message: `征信机构自有不良记录 ${bad.length} 条（${categories}）`,
      messageEn: `${bad.length} negative record(s) in force (${categories}).`,
    }),
  ];
}
