import { GraphQLError } from "graphql";
import { CLIENT_ERROR_CODES } from "../protocol/errors.ts";
import { hasRole } from "../protocol/identity.ts";
import { callerOfRequest, type HubContext } from "./authentication.ts";
import { PUBLIC_DOCUMENTS } from "./public-page.ts";
import { byHash, readManifest, type TrustedDocuments } from "./trusted-documents.ts";

/**
 * The gateway's public edge: what a hostile client meets before any owner is
 * asked. Every limit is configurable (environment, see README) and rejects
 * with its own code; in production (`NODE_ENV=production`) introspection and
 * "did you mean" suggestions are for hub operators only. The checks themselves
 * are plugins, one a file (gateway/use*.ts); server.ts puts them in order.
 */
export interface EdgeOptions {
  production: boolean;
  /** Operation shape limits; each null turns that limit off. */
  maxDepth: number | null;
  maxAliases: number | null;
  maxDirectives: number | null;
  maxTokens: number | null;
  /** The estimated cost an operation may have (see useCostLimit.ts); null: no limit. */
  maxCost: number | null;
  /** The answer, in bytes: a larger one is replaced by RESPONSE_TOO_LARGE; null: no limit. */
  maxResponseBytes: number | null;
  /** Operations in one batched request; 1 turns batching off. */
  maxBatch: number;
  /** Request body, in bytes. */
  maxBodyBytes: number;
  /** Origins browsers may call from; empty: no cross-origin calls at all. */
  corsOrigins: string[];
  /** Requests per minute per organisation (anonymous callers: per client address); null: no limit. */
  rateLimitPerMinute: number | null;
  /** Always on from the environment; off only to show, in the attack tests, what they defend. */
  csrfPrevention: boolean;
  scrubErrors: boolean;
  /** Operations registered by hash (the public page's and the operator's manifest); see trusted-documents.ts. */
  trustedDocuments: TrustedDocuments;
  /** Trusted-documents mode: anonymous callers may run only the registered operations. */
  trustedDocumentsOnly: boolean;
}

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

const positive = (name: string, value: string | undefined, fallback: number | null): number | null => {
  if (value === undefined || value === "") return fallback;
  if (value === "off") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number above 0, or "off"; got ${JSON.stringify(value)}.`);
  return n;
};

/** The edge as the environment configures it; a malformed setting stops start-up with its name. */
export function edgeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EdgeOptions {
  const production = env.NODE_ENV === "production";
  return {
    production,
    maxDepth: positive("GRAPHQL_MAX_DEPTH", env.GRAPHQL_MAX_DEPTH, 12),
    maxAliases: positive("GRAPHQL_MAX_ALIASES", env.GRAPHQL_MAX_ALIASES, 120),
    maxDirectives: positive("GRAPHQL_MAX_DIRECTIVES", env.GRAPHQL_MAX_DIRECTIVES, 20),
    maxTokens: positive("GRAPHQL_MAX_TOKENS", env.GRAPHQL_MAX_TOKENS, 10_000),
    // A bank's standings of 100 with the whole standing selected costs about 7,000; 110 aliases of
    // `enterprises(first: 100) { uscc }` cost 22,000.
    maxCost: positive("GRAPHQL_MAX_COST", env.GRAPHQL_MAX_COST, 10_000),
    // A bureau's feed page of 500 signed changes is well under 1 MiB.
    maxResponseBytes: positive("MAX_RESPONSE_BYTES", env.MAX_RESPONSE_BYTES, 4 * 1024 * 1024),
    maxBatch: positive("GRAPHQL_MAX_BATCH", env.GRAPHQL_MAX_BATCH, 1) ?? 1,
    maxBodyBytes: positive("MAX_BODY_BYTES", env.MAX_BODY_BYTES, 256 * 1024) ?? 256 * 1024,
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    // On by default in production: a bank's busiest batch job stays well under 10 requests a second.
    rateLimitPerMinute: positive("RATE_LIMIT_PER_MINUTE", env.RATE_LIMIT_PER_MINUTE, production ? 600 : null),
    csrfPrevention: true,
    scrubErrors: true,
    trustedDocuments: new Map([
      ...byHash(Object.values(PUBLIC_DOCUMENTS)),
      ...(env.TRUSTED_DOCUMENTS_FILE ? readManifest(env.TRUSTED_DOCUMENTS_FILE) : []),
    ]),
    trustedDocumentsOnly: flag("TRUSTED_DOCUMENTS_ONLY", env.TRUSTED_DOCUMENTS_ONLY),
  };
}

const flag = (name: string, value: string | undefined): boolean => {
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new Error(`${name} must be 1 or 0; got ${JSON.stringify(value)}.`);
};

export function edgeError(code: (typeof EDGE_CODES)[number], message: string, status: number) {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** A hub operator's key: not an organisation's ADMIN, which every organisation's own administrator holds. */
function isOperator(context: (Partial<HubContext> & { request?: Request }) | undefined): boolean {
  const caller = context?.hub?.caller ?? callerOfRequest(context?.request);
  return !!caller && hasRole(caller, "OPERATOR");
}

/** Whether this request may introspect the schema and see "did you mean" suggestions: always outside production; in production, hub operators only. */
export function mayIntrospect(
  options: EdgeOptions,
  context: (Partial<HubContext> & { request?: Request }) | undefined,
): boolean {
  return !options.production || isOperator(context);
}

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

/**
 * The last word on every error a client sees: a code it can act on and a
 * message that says nothing of the inside. Owners' errors (BAD_USER_INPUT,
 * FORBIDDEN…) and the edge's own keep their message; anything else — a
 * subgraph that did not answer, an unexpected fault — becomes a fixed message.
 * No extension but `code` leaves (no stack, no subgraph name, no URL); the
 * HTTP status the runtime reads from `http` stays, and the runtime drops it
 * from what it sends.
 */
const BAD_VARIABLE = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;
/** Codes the runtime gives some malformed requests, as the hub names them. */
const RUNTIME_CODES: Record<string, string> = { OPERATION_RESOLUTION_FAILURE: "OPERATION_NOT_FOUND" };

/** A 4xx status the runtime (Yoga) set on its own refusal of a malformed request: bad JSON, no query, a wrong method… */
function clientStatus(error: GraphQLError): boolean {
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

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

/** The runtime's error masking, done the hub's way (every error of every answer passes here). */
export function maskError(error: unknown): GraphQLError {
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

/**
 * The runtime's answer, read up to `max` bytes; null once it passes them (the
 * rest is not read). An answer only a cost estimate should have stopped —
 * the estimate assumes list sizes — is cut here instead of sent whole.
 */
export async function readCappedAnswer(response: Response, max: number | null): Promise<Buffer | null> {
  if (max === null || !response.body) return Buffer.from(await response.arrayBuffer());
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > max) {
    await response.body.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await response.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export const responseTooLarge = (max: number) =>
  `The answer is larger than ${max} bytes: ask for fewer items or fields at once.`;
