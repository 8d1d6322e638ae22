import { GraphQLError } from "graphql";

/**
 * The only error codes the hub shows to clients. Anything else that escapes a
 * resolver is an internal fault and is masked (see server.ts).
 */
export type HubErrorCode = "BAD_USER_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND";

export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set<HubErrorCode>([
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
]);

function hubError(code: HubErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { ...extra, code } });
}

export const badInput = (message: string, extra?: Record<string, unknown>) =>
  hubError("BAD_USER_INPUT", message, extra);
export const unauthenticated = (message: string) => hubError("UNAUTHENTICATED", message);
/** `reason`: why, as a stable code a program can act on (e.g. CONSENT_MISSING; subgraphs/sdk/access.ts). */
export const forbidden = (message: string, reason?: string) => hubError("FORBIDDEN", message, reason ? { reason } : {});
export const notFound = (message: string) => hubError("NOT_FOUND", message);
