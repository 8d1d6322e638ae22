import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError } from "graphql";

/**
 * Puts each subgraph error from an entity fetch at the path of the field it
 * belongs to.
 *
 * The runtime's batch delegation (@graphql-tools/batch-delegate) builds one
 * loader per field selection and relocates every error of every batch to the
 * path of the *first* entity that used it, so a FORBIDDEN on the second
 * enterprise of a query was reported under the first. The errors themselves
 * sit at the right place in the merged result, though. Stripping their
 * pre-computed path lets GraphQL execution locate each one where it is
 * actually met, which is exactly the field that was denied.
 */
export function useEntityErrorPaths(): GatewayPlugin {
  return {
    onDelegationStageExecute() {
      return ({ result, setResult }) => setResult(unlocate(result, new Set()));
    },
  };
}

function isLocatedError(value: unknown): value is GraphQLError {
  return value instanceof Error && Array.isArray((value as { path?: unknown }).path);
}

function unlocate(value: unknown, seen: Set<object>): unknown {
  if (isLocatedError(value))
    return new GraphQLError(value.message, {
      extensions: value.extensions,
      originalError: value.originalError ?? undefined,
    });
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unlocate(value[i], seen);
  } else {
    for (const key of Object.keys(value))
      (value as Record<string, unknown>)[key] = unlocate((value as Record<string, unknown>)[key], seen);
  }
  return value;
}
