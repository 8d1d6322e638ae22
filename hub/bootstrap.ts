import type { PrismaClient as RegistryClient } from "../prisma/registry/generated/client.ts";
import { newApiKey } from "../subgraphs/registry/credentials.ts";

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
    await tx.apiKey.create({
      data: {
        id: key.id,
        organisationId: organisation.id,
        label: "bootstrap operator key",
        roles: ["OPERATOR", "ADMIN"],
        secretHash: key.secretHash,
      },
    });
    return { organisationId: organisation.id, apiKey: key.key };
  });
}
