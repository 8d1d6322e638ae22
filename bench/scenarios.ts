import { type DatasetSize, usccAt } from "./dataset.ts";

/**
 * The requests the benchmark drives. Each request names a different
 * enterprise (or feed position) than the one before, so nothing is answered
 * from a cache the real traffic would not have.
 */

export type Caller = "anonymous" | "bank" | "bankWithoutConsent" | "bureau";

export interface Scenario {
  id: string;
  title: string;
  caller: Caller;
  purpose?: string;
  /** Concurrency for this scenario when it is not the run's default: the heavy ones, so a run's requests finish in it. */
  connections?: number;
  document: string;
  /** The variables of the i-th request. */
  variables(i: number, size: DatasetSize, feed: { changes: number }): Record<string, unknown>;
  /** Checks one answer is what the scenario means to measure (run once before timing). */
  check(data: Record<string, unknown> | null | undefined, errors: unknown[] | undefined): string | null;
}

/** What a bank's standing check asks of one enterprise: every owner's part, the verdict and its reasons. */
export const STANDING_FIELDS = /* GraphQL */ `
  uscc
  enterprise { name }
  consent { expiresAt }
  associations { association { id } membership { status } negativeRecords disputedRecords }
  trading { body { id } paymentOnTimeRatio pendingDisputes }
  bureaus { bureau { id } negativeRecords negativeCategories }
  goodStanding
  reasons
`;

const pick = (i: number, size: DatasetSize) => usccAt((i * 7919) % size.enterprises);

const noErrors = (errors: unknown[] | undefined) =>
  errors?.length ? `errors: ${JSON.stringify(errors).slice(0, 300)}` : null;

export const SCENARIOS: Scenario[] = [
  {
    id: "public-lookup",
    title: "public enterprise lookup (anonymous)",
    caller: "anonymous",
    document: /* GraphQL */ `
      query PublicLookup($u: USCC!) {
        enterprise(uscc: $u) {
          uscc name
          evaluation { grade validUntil }
          sanctions { level decidedOn }
          listEntries { list enteredOn }
        }
      }
    `,
    variables: (i, size) => ({ u: pick(i, size) }),
    check: (data, errors) =>
      noErrors(errors) ?? ((data?.enterprise as { name?: string })?.name ? null : "no enterprise"),
  },
  {
    id: "standing",
    title: "bank standing check (4 subgraphs)",
    caller: "bank",
    purpose: "LOAN_APPROVAL",
    document: /* GraphQL */ `
      query Standing($u: USCC!) {
        standing(uscc: $u, purpose: LOAN_APPROVAL) { ${STANDING_FIELDS} }
      }
    `,
    variables: (i, size) => ({ u: pick(i, size) }),
    check: (data, errors) => {
      const s = data?.standing as { goodStanding?: unknown; associations?: unknown[] } | undefined;
      return (
        noErrors(errors) ?? (typeof s?.goodStanding === "boolean" && s.associations?.length ? null : "no standing")
      );
    },
  },
  {
    id: "standings-100",
    title: "standings of 100 enterprises",
    caller: "bank",
    purpose: "LOAN_APPROVAL",
    connections: 4,
    document: /* GraphQL */ `
      query Standings($u: [USCC!]!) {
        standings(usccs: $u, purpose: LOAN_APPROVAL) {
          uscc
          associations { negativeRecords disputedRecords }
          trading { paymentOnTimeRatio pendingDisputes }
          bureaus { negativeRecords }
          goodStanding
          reasons
        }
      }
    `,
    variables: (i, size) => ({ u: Array.from({ length: 100 }, (_, k) => pick(i * 100 + k, size)) }),
    check: (data, errors) =>
      noErrors(errors) ?? ((data?.standings as unknown[])?.length === 100 ? null : "not 100 standings"),
  },
  {
    id: "bureau-feed",
    title: "bureau feed page of 500",
    caller: "bureau",
    purpose: "CREDIT_REPORTING",
    connections: 4,
    document: /* GraphQL */ `
      query Feed($after: String) {
        sharedRecordChanges(after: $after, first: 500) {
          changes { cursor kind recordId record { polarity category occurredOn status } signed }
          endCursor
          hasMore
        }
      }
    `,
    variables: (i, _size, feed) => ({ after: String((i * 4999) % Math.max(1, feed.changes - 500)) }),
    check: (data, errors) =>
      noErrors(errors) ??
      ((data?.sharedRecordChanges as { changes?: unknown[] })?.changes?.length === 500 ? null : "not a page of 500"),
  },
  {
    id: "half-denied",
    title: "permission-heavy: half the fields denied",
    caller: "bankWithoutConsent",
    purpose: "LOAN_APPROVAL",
    document: /* GraphQL */ `
      query HalfDenied($u: USCC!) {
        enterprise(uscc: $u) {
          name
          creditRecords { polarity category occurredOn status summary source evidenceRef version }
        }
      }
    `,
    variables: (i, size) => ({ u: pick(i, size) }),
    check: (data, errors) => {
      const records = (data?.enterprise as { creditRecords?: { polarity?: unknown; summary?: unknown }[] })
        ?.creditRecords;
      if (!records?.length) return "no records";
      if (records.some((r) => r.polarity === null || r.summary !== null)) return "not half denied";
      return errors?.length ? null : "no FORBIDDEN errors for the denied fields";
    },
  },
];
