import { openOwnerDatabases } from "../hub/owner-databases.ts";
import { verifyOwnerAudit } from "../subgraphs/sdk/audit.ts";
import type { Dataset } from "./datasets.ts";

/** Verifies every owner's audit chain of the data set, as `npm run hub -- audit verify` would. */
export async function verifyChain(
  dataset: Dataset,
): Promise<Record<string, { ok: boolean; entries: number; problem?: string }>> {
  const env = Object.fromEntries(
    Object.entries(dataset.urls).map(([owner, url]) => [`DATABASE_URL_${owner.toUpperCase()}`, url]),
  );
  const result: Record<string, { ok: boolean; entries: number; problem?: string }> = {};
  for (const owner of await openOwnerDatabases(dataset.dataDir, { ...process.env, ...env })) {
    try {
      const verified = await verifyOwnerAudit(owner.audit, owner.publicJwk());
      result[owner.name] = {
        ok: verified.ok,
        entries: verified.entries,
        ...(verified.problem ? { problem: `${verified.problem.seq}: ${verified.problem.reason}` } : {}),
      };
    } finally {
      await owner.close();
    }
  }
  return result;
}
