import { mustGraphql } from "./client.ts";

/**
 * A bureau's sync: pages through the associations' feed of changes to records
 * shared with the bureau, from where its last import stopped, and hands each
 * page's signed entries to the bureaus subgraph to keep. Runs with the
 * bureau's own API key through the gateway, like any other client; safe to
 * stop and rerun (imports are idempotent and the cursor is stored with them).
 */
const PAGE = /* GraphQL */ `
  query ($after: String, $first: Int) {
    sharedRecordChanges(after: $after, first: $first) { changes { signed } endCursor hasMore }
  }
`;
const CURSOR = /* GraphQL */ `{ receivedRecordsCursor }`;
const IMPORT = /* GraphQL */ `
  mutation ($signed: [String!]!) { importSharedRecords(signed: $signed) { applied unchanged removed cursor } }
`;

export interface SyncResult {
  pages: number;
  applied: number;
  unchanged: number;
  removed: number;
  cursor: string | null;
}

export async function syncBureau(
  gatewayUrl: string,
  apiKey: string,
  progress: (message: string) => void = () => {},
  pageSize = 500,
): Promise<SyncResult> {
  const options = { apiKey, purpose: "CREDIT_REPORTING" };
  let { receivedRecordsCursor: after } = await mustGraphql<{ receivedRecordsCursor: string | null }>(
    gatewayUrl,
    CURSOR,
    {},
    options,
  );
  const result: SyncResult = { pages: 0, applied: 0, unchanged: 0, removed: 0, cursor: after };
  for (;;) {
    const { sharedRecordChanges: page } = await mustGraphql<{
      sharedRecordChanges: { changes: { signed: string }[]; endCursor: string | null; hasMore: boolean };
    }>(gatewayUrl, PAGE, { after, first: pageSize }, options);
    if (page.changes.length) {
      const { importSharedRecords: done } = await mustGraphql<{
        importSharedRecords: { applied: number; unchanged: number; removed: number; cursor: string | null };
      }>(gatewayUrl, IMPORT, { signed: page.changes.map((c) => c.signed) }, options);
      result.pages++;
      result.applied += done.applied;
      result.unchanged += done.unchanged;
      result.removed += done.removed;
      progress(
        `page ${result.pages}: ${done.applied} applied, ${done.unchanged} unchanged, ${done.removed} removed (at ${done.cursor})`,
      );
    }
    after = page.endCursor;
    result.cursor = after;
    if (!page.hasMore) return result;
  }
}
