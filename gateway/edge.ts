import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  Lexer,
  type SelectionSetNode,
  Source,
  TokenKind,
  visit,
} from "graphql";
import { CLIENT_ERROR_CODES } from "../subgraphs/kit/errors.ts";
import { hasRole } from "../subgraphs/kit/identity.ts";
import { callerOfRequest, type HubContext } from "./authentication.ts";
import { PUBLIC_DOCUMENTS } from "./public-page.ts";
import { byHash, readManifest, type TrustedDocuments } from "./trusted-documents.ts";

/**
 * The gateway's public edge: what a hostile client meets before any owner is
 * asked. Every limit is configurable (environment, see README) and rejects
 * with its own code; in production (`NODE_ENV=production`) introspection and
 * "did you mean" suggestions are for admins only.
 */
export interface EdgeOptions {
  production: boolean;
  /** Operation shape limits; each null turns that limit off. */
  maxDepth: number | null;
  maxAliases: number | null;
  maxDirectives: number | null;
  maxTokens: number | null;
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
  "BATCH_TOO_LARGE",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "CSRF_HEADER_MISSING",
  "SHUTTING_DOWN",
  "TRUSTED_DOCUMENTS_ONLY",
  "DOCUMENT_NOT_TRUSTED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
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
  return {
    production: env.NODE_ENV === "production",
    maxDepth: positive("GRAPHQL_MAX_DEPTH", env.GRAPHQL_MAX_DEPTH, 12),
    maxAliases: positive("GRAPHQL_MAX_ALIASES", env.GRAPHQL_MAX_ALIASES, 120),
    maxDirectives: positive("GRAPHQL_MAX_DIRECTIVES", env.GRAPHQL_MAX_DIRECTIVES, 20),
    maxTokens: positive("GRAPHQL_MAX_TOKENS", env.GRAPHQL_MAX_TOKENS, 10_000),
    maxBatch: positive("GRAPHQL_MAX_BATCH", env.GRAPHQL_MAX_BATCH, 1) ?? 1,
    maxBodyBytes: positive("MAX_BODY_BYTES", env.MAX_BODY_BYTES, 256 * 1024) ?? 256 * 1024,
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimitPerMinute: positive("RATE_LIMIT_PER_MINUTE", env.RATE_LIMIT_PER_MINUTE, null),
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

/** How deep the deepest selection goes, fragments followed (a cycle counts as too deep). */
function depthOf(document: DocumentNode, limit: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walk = (set: SelectionSetNode | undefined, depth: number, seen: ReadonlySet<string>): number => {
    if (!set || depth > limit) return depth;
    let deepest = depth;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith("__")) continue;
        deepest = Math.max(deepest, walk(s.selectionSet, depth + 1, seen));
      } else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, walk(s.selectionSet, depth, seen));
      else {
        const name = s.name.value;
        if (seen.has(name)) return limit + 1;
        deepest = Math.max(deepest, walk(fragments.get(name)?.selectionSet, depth, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  let deepest = 0;
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, walk(d.selectionSet, 0, new Set()));
  return deepest;
}

function count(document: DocumentNode): { aliases: number; directives: number } {
  let aliases = 0;
  let directives = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases++;
    },
    Directive() {
      directives++;
    },
  });
  return { aliases, directives };
}

/** Parse with a token budget, then refuse operations deeper, wider or more decorated than allowed. */
export function operationLimitsPlugin(options: EdgeOptions): GatewayPlugin {
  return {
    // Counted before the parser runs: the lexer alone, stopping one token past the limit.
    onParams({ params }) {
      const max = options.maxTokens;
      if (max === null || typeof params.query !== "string") return;
      const lexer = new Lexer(new Source(params.query));
      let tokens = 0;
      try {
        while (lexer.advance().kind !== TokenKind.EOF) if (++tokens > max) break;
      } catch {
        return; // a syntax error: the parser reports it
      }
      if (tokens > max) throw edgeError("TOO_MANY_TOKENS", `The operation has more than ${max} tokens.`, 400);
    },
    onParse() {
      return ({ result }) => {
        if (!result || result instanceof Error) return;
        const document = result as DocumentNode;
        if (options.maxDepth !== null && depthOf(document, options.maxDepth) > options.maxDepth)
          throw edgeError("QUERY_TOO_DEEP", `The operation is nested deeper than ${options.maxDepth} levels.`, 400);
        const { aliases, directives } = count(document);
        if (options.maxAliases !== null && aliases > options.maxAliases)
          throw edgeError(
            "TOO_MANY_ALIASES",
            `The operation has ${aliases} aliases; at most ${options.maxAliases}.`,
            400,
          );
        if (options.maxDirectives !== null && directives > options.maxDirectives)
          throw edgeError(
            "TOO_MANY_DIRECTIVES",
            `The operation has ${directives} directives; at most ${options.maxDirectives}.`,
            400,
          );
      };
    },
  };
}

function isAdmin(context: (Partial<HubContext> & { request?: Request }) | undefined): boolean {
  const caller = context?.hub?.caller ?? callerOfRequest(context?.request);
  return !!caller && (hasRole(caller, "OPERATOR") || hasRole(caller, "ADMIN"));
}

/** Whether this request may introspect the schema: always outside production; in production, admins only. */
export function mayIntrospect(
  options: EdgeOptions,
  context: (Partial<HubContext> & { request?: Request }) | undefined,
): boolean {
  return !options.production || isAdmin(context);
}

/** In production, validation errors keep their message but lose "Did you mean …?" for anyone but admins. */
export function noSuggestionsPlugin(options: EdgeOptions): GatewayPlugin<HubContext> {
  return {
    onValidate({ context }) {
      if (mayIntrospect(options, context as Partial<HubContext>)) return;
      return ({ result, setResult }) => {
        if (!result.length) return;
        setResult(
          result.map(
            (e) =>
              new GraphQLError(e.message.replace(/\s*Did you mean .*\?$/s, ""), {
                nodes: e.nodes,
                extensions: e.extensions,
              }),
          ),
        );
      };
    },
  };
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
  else if (OUTAGE.test(error.message) || code === "DOWNSTREAM_SERVICE_ERROR" || code === "SUBREQUEST_HTTP_ERROR")
    safe = {
      message: "A data owner's service did not answer; try again later.",
      code: "SUBGRAPH_UNAVAILABLE",
      detail: {},
    };
  else safe = { message: "Internal error.", code: "INTERNAL_SERVER_ERROR", detail: {} };
  // A status only for errors that refuse the whole request (auth, limits); a failed part leaves the answer a 200.
  const http = safe.code === code ? error.extensions?.http : undefined;
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

/** Headers a browser cannot send cross-site without a CORS preflight; any one of them proves the request is not a forged form post. */
const PREFLIGHT_HEADERS = ["x-api-key", "x-purpose", "authorization", "x-graphql-csrf"];
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/**
 * CSRF prevention: a request a browser may send cross-site without asking
 * first (a GET, or a form-encoded POST) must carry one of PREFLIGHT_HEADERS.
 * JSON POSTs are always preflighted, so the CORS allow-list decides those.
 */
export function csrfPlugin(): GatewayPlugin {
  return {
    onRequestParse({ request }) {
      const type = request.headers.get("content-type")?.toLowerCase();
      const simple = !type || SIMPLE_CONTENT_TYPES.some((t) => type.startsWith(t));
      if (simple && !PREFLIGHT_HEADERS.some((h) => request.headers.has(h)))
        throw edgeError(
          "CSRF_HEADER_MISSING",
          `Send a JSON POST, or one of these headers: ${PREFLIGHT_HEADERS.join(", ")}.`,
          403,
        );
    },
  };
}

/**
 * Requests per minute per organisation; anonymous callers are counted per
 * client address. A fixed one-minute window per caller, in this process.
 */
export function rateLimitPlugin(options: EdgeOptions, addressHeader: string): GatewayPlugin<HubContext> {
  const limit = options.rateLimitPerMinute;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = Date.now();
  return {
    onContextBuilding({ context }) {
      if (limit === null) return;
      const hub = (context as Partial<HubContext>).hub;
      const caller = hub?.caller;
      const key =
        caller?.kind === "organisation"
          ? `org:${caller.organisationId}`
          : `addr:${context.request.headers.get(addressHeader) ?? "unknown"}`;
      const now = Date.now();
      if (now - lastSweep > 60_000) {
        for (const [k, w] of windows) if (now - w.start >= 60_000) windows.delete(k);
        lastSweep = now;
      }
      const window = windows.get(key);
      if (!window || now - window.start >= 60_000) windows.set(key, { start: now, count: 1 });
      else if (++window.count > limit) {
        const retry = Math.ceil((window.start + 60_000 - now) / 1000);
        throw new GraphQLError(`More than ${limit} requests in a minute; try again in ${retry} s.`, {
          extensions: { code: "RATE_LIMITED", http: { status: 429, headers: { "retry-after": String(retry) } } },
        });
      }
    },
  };
}
