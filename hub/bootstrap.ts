import type { PrismaClient as RegistryClient } from "../prisma/registry/generated/client.ts";
import { registryEntry } from "../subgraphs/registry/audit.ts";
import { newApiKey } from "../subgraphs/registry/credentials.ts";
import { appendAudit } from "../subgraphs/sdk/audit.ts";

export const OPERATOR_NAME = "credit-hub operator";

/**
 * Creates the hub operator's organisation and first key, directly in the
 * registry's database: someone must hold a key before anyone can be admitted
 * through the API. Returns the key, or null when an operator already exists.
 */
export async function bootstrapOperator(
  registry: RegistryClient,
): Promise<{ organisationId: string; apiKey: string } | null> {
  return registry.$transaction(async (tx) => {
    if (await tx.organisation.findFirst({ where: { type: "HUB" } })) return null;
    const organisation = await tx.organisation.create({ data: { name: OPERATOR_NAME, type: "HUB" } });
    const key = newApiKey();
    const label = "bootstrap operator key";
    const roles = ["OPERATOR", "ADMIN"] as const;
    await tx.apiKey.create({
      data: { id: key.id, organisationId: organisation.id, label, roles: [...roles], secretHash: key.secretHash },
    });
    // The registry's audit chain starts with the operator's admission, in the same transaction, like any
    // organisation's: nobody called the API, so the entries name no caller.
    const by = { requestId: "bootstrap", callerId: null, callerType: null, purpose: null };
    await appendAudit(
      tx,
      [
        {
          ...by,
          ...registryEntry(
            "ORGANISATION_CREATED",
            { organisationId: organisation.id },
            { name: OPERATOR_NAME, type: "HUB" },
          ),
        },
        {
          ...by,
          ...registryEntry(
            "API_KEY_ISSUED",
            { organisationId: organisation.id },
            { keyId: key.id, label, roles: [...roles], expiresAt: null },
          ),
        },
      ],
      new Date(),
    );
    return { organisationId: organisation.id, apiKey: key.key };
  });
}
