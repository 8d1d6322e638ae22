import type { ReleasedFinding } from "./findings.ts";

/**
 * One owner subgraph's part of a standing report: the findings it released
 * for the report, and the audit entries under which each owner logged that
 * release, signed with the subgraph's own key (the one `<name>AuditPublicKey`
 * publishes) for the requester. The registry's header lists each part's
 * digest, so a part cannot be swapped, dropped or changed unseen.
 */
export const REPORT_PART_TYPE = "standing-report-part+jwt";

export interface ReportKey {
  number: string;
  uscc: string;
  purpose: string;
}

/** What a part's JWS carries (besides iss: the subgraph, aud: the requester, jti: the report number, iat). */
export interface ReportPartPayload extends Record<string, unknown> {
  number: string;
  uscc: string;
  purpose: string;
  /** The subgraph's findings as released: dates as YYYY-MM-DD. */
  findings: (Omit<ReleasedFinding, "since"> & { since: string | null })[];
  /** One audit entry per owner whose non-public data the part released. */
  releases: { ownerId: string; seq: string; hash: string }[];
}
