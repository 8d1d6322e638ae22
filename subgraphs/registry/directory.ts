import type { PrismaClient } from "../../prisma/registry/generated/client.ts";
import { MAX_TOKEN_USCCS } from "../../protocol/hub-token.ts";

/**
 * The gateway's lookup before it relays a write to a data owner: which of
 * these codes the directory knows. Owners accept writes only about those
 * (subgraphs/sdk/context.ts `requireKnownEnterprise`), learning the answer from the hub
 * token, since no owner reads the registry's tables. One indexed query per
 * relayed mutation; reads never ask.
 */
export async function knownEnterprises(db: PrismaClient, request: { usccs?: unknown }): Promise<{ usccs: string[] }> {
  const usccs = Array.isArray(request.usccs)
    ? request.usccs.filter((u): u is string => typeof u === "string" && u.length === 18).slice(0, MAX_TOKEN_USCCS)
    : [];
  if (!usccs.length) return { usccs: [] };
  const rows = await db.enterprise.findMany({ where: { uscc: { in: usccs } }, select: { uscc: true } });
  return { usccs: rows.map((r) => r.uscc) };
}
