import { GraphQLError } from "graphql";
import { CLIENT_ERROR_CODES } from "../protocol/errors.ts";
import { EDGE_CODES } from "./edge-errors.ts";

/** What an owner's or the edge's own message must never carry: a stack frame, a socket error, an address, the ORM. */
const LEAKS = /\bat \S+ \(?\S+:\d+:\d+|\bECONN\w+|\bprisma\b|\b(?:127\.0\.0\.1|localhost):\d+/i;
/** How a subgraph that is down or too slow shows up in the runtime's errors. */
const OUTAGE = /https?:\/\/|\bECONN\w+|ETIMEDOUT|fetch failed|socket|timed? ?out|timeout|aborted|upstream/i;

/** Every code a client may see, with its message: the owners', the edge's, and the two "try again later" ones. */
const KNOWN_CODES = new Set<string>([
  ...CLIENT_ERROR_CODES,
  ...EDGE_CODES,
  "AUDIT_UNAVAILABLE", // an owner could not record the access, so released nothing
  "SERVICE_UNAVAILABLE", // the registry could not check a credential
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
]);

const BAD_VARIABLE = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;
/** Codes the runtime gives some malformed requests, as the hub names them. */
const RUNTIME_CODES: Record<string, string> = { OPERATION_RESOLUTION_FAILURE: "OPERATION_NOT_FOUND" };

/** A 4xx status the runtime (Yoga) set on its own refusal of a malformed request: bad JSON, no query, a wrong method… */
function clientStatus(error: GraphQLError): boolean {
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * The last word on every error a client sees: a code it can act on and a
 * message that says nothing of the inside. Owners' errors (BAD_USER_INPUT,
 * FORBIDDEN…) and the edge's own keep their message; anything else — a
 * subgraph that did not answer, an unexpected fault — becomes a fixed message.
 * No extension but `code` leaves (no stack, no subgraph name, no URL); the
 * HTTP status the runtime reads from `http` stays, and the runtime drops it
 * from what it sends.
 */
export function scrubError(error: GraphQLError): GraphQLError {
  const code = typeof error.extensions?.code === "string" ? error.extensions.code : undefined;
  let safe: { message: string; code: string; detail: Record<string, unknown> };
  if (code && KNOWN_CODES.has(code) && !LEAKS.test(error.message))
    safe = { message: error.message, code, detail: ownersDetail(error.extensions) };
  else if (
    !code &&
    BAD_VARIABLE.test(error.message) &&
    (!error.originalError || error.originalError instanceof GraphQLError) &&
    !LEAKS.test(error.message)
  )
    // GraphQL's own coercion of the client's variables carries no code; it is the client's mistake, and its
    // message says which variable and why (suggestions of other enum values dropped, as for field names).
    safe = { message: error.message.replace(/\s*Did you mean .*$/s, ""), code: "BAD_USER_INPUT", detail: {} };
  else if (
    (!code || code in RUNTIME_CODES) &&
    clientStatus(error) &&
    (!error.originalError || error.originalError instanceof GraphQLError) &&
    !LEAKS.test(error.message)
  )
    // The runtime's own refusal of a malformed request: the client's mistake, said in the runtime's words.
    safe = { message: error.message, code: (code && RUNTIME_CODES[code]) || "BAD_REQUEST", detail: {} };
  else if (OUTAGE.test(error.message) || code === "DOWNSTREAM_SERVICE_ERROR" || code === "SUBREQUEST_HTTP_ERROR")
    safe = {
      message: "A data owner's service did not answer; try again later.",
      code: "SUBGRAPH_UNAVAILABLE",
      detail: {},
    };
  else safe = { message: "Internal error.", code: "INTERNAL_SERVER_ERROR", detail: {} };
  // A status only for errors that refuse the whole request (auth, limits); a failed part leaves the answer a 200.
  const http = safe.code === code || clientStatus(error) ? error.extensions?.http : undefined;
  const extensions: Record<string, unknown> = { code: safe.code, ...safe.detail, ...(http ? { http } : {}) };
  // Already safe (a client's own error: FORBIDDEN, BAD_USER_INPUT…): the same object goes out, so the runtime
  // does not log it as an internal error it had to mask — only what was really scrubbed is logged.
  const given = error.extensions ?? {};
  if (
    safe.message === error.message &&
    Object.keys(given).length === Object.keys(extensions).length &&
    Object.entries(extensions).every(([k, v]) => given[k] === v)
  )
    return error;
  return new GraphQLError(safe.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });
}

/** What an owner deliberately added to its error (say, the certificate that blocks an evaluation): plain values only, nothing that names the inside. */
function ownersDetail(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extensions ?? {}))
    if (
      key !== "code" &&
      !/stack|exception|service|subgraph|url|http|sql|original|path/i.test(key) &&
      (typeof value === "string" || typeof value === "number" || typeof value === "boolean") &&
      !/https?:\/\//.test(String(value))
    )
      detail[key] = value;
  return detail;
}

/**
 * Any error, as the client may see it: the runtime's `maskedErrors.maskError`,
 * done the hub's way (every error of every answer passes here). Hand-written
 * because the runtime's default passes any GraphQL error through whole (an
 * owner's message naming a URL or SQL, every extension) and gives a subgraph
 * outage no code a client can act on.
 */
export function scrubbedError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) {
    // A fault below a GraphQL error (a failed fetch, a thrown exception) speaks for what happened.
    let cause: unknown = error.originalError;
    while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
    if (cause && !(cause instanceof GraphQLError))
      return scrubError(
        new GraphQLError(`${error.message} ${String((cause as Error).message ?? cause)}`, {
          path: error.path,
          nodes: error.nodes,
        }),
      );
    return scrubError(error);
  }
  return scrubError(new GraphQLError(String((error as Error)?.message ?? error)));
}
