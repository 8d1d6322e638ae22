/**
 * What a printed standing report shows: the report's header, the verdict, the
 * concerns and programme eligibility, and one line per owner part (who signed
 * it, and the audit entry under which that owner logged the release). The
 * registry builds it from a report it has just made, and the CLI from a saved
 * report it has verified, so the PDF never shows anything the JSON does not.
 */
export interface ReportView {
  number: string;
  /** ISO 8601. */
  madeAt: string;
  purpose: string;
  requester: { id: string; name: string };
  enterprise: { uscc: string; name: string | null };
  consent: { id: string; expiresAt: string } | null;
  /** null: no verdict, because a part was withheld from the requester. */
  goodStanding: boolean | null;
  concerns: readonly { code: string; owner: string; message: string; messageEn: string }[];
  programmes: readonly {
    name: string;
    eligible: boolean | null;
    unmet: readonly { code: string; message: string; messageEn: string }[];
  }[];
  parts: readonly {
    /** The owner's name, as the registry's directory has it. */
    owner: string;
    subgraph: string;
    /** The owner's audit entry for this release. */
    audit: { seq: string; hash: string };
    findings: number;
    /** ISO 8601, when the owner signed its part. */
    signedAt: string;
  }[];
}

export type ReportLanguage = "zh" | "en";
