import { GraphQLError } from "graphql";

/** The codes the edge answers with, besides the owners' (BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND). */
export const EDGE_CODES = [
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "TOO_MANY_DIRECTIVES",
  "TOO_MANY_TOKENS",
  "QUERY_TOO_COSTLY",
  "RESPONSE_TOO_LARGE",
  "BATCH_TOO_LARGE",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "CSRF_HEADER_MISSING",
  "SHUTTING_DOWN",
  "TRUSTED_DOCUMENTS_ONLY",
  "DOCUMENT_NOT_TRUSTED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_NOT_FOUND",
  "SUBSCRIPTIONS_NOT_SUPPORTED",
  "SUBGRAPH_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
] as const;

export type EdgeCode = (typeof EDGE_CODES)[number];

/** A refusal of the whole request, with the HTTP status the runtime answers it with. */
export function edgeError(code: EdgeCode, message: string, status: number) {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}
