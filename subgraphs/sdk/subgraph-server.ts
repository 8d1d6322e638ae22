import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { CryptoKey, JWK } from "jose";
import { createLogger, errorFields, type Logger } from "../../operations/logger.ts";
import { countRequest, Metrics } from "../../operations/metrics.ts";
import {
  boundedServerOptions,
  type HttpTimeouts,
  httpTimeoutsFromEnv,
  type OperatorListen,
  type OperatorRoutes,
  startOperatorServer,
} from "../../operations/operator.ts";
import { badInput, CLIENT_ERROR_CODES } from "../../protocol/errors.ts";
import { HUB_TOKEN_HEADER } from "../../protocol/headers.ts";
import {
  type ConsentBasis,
  type HubRequestContext,
  HubTokenError,
  HubTokenVerifier,
} from "../../protocol/hub-token.ts";
import { type AccessNote, type GrantTerms, isOwnParty, type RequestAccess } from "./access.ts";
import { type AuditInput, type AuditRow, appendAudit } from "./audit.ts";
import type { AuditWriter, OrganisationCaller, SubgraphContext } from "./context.ts";
import type { SqlReader } from "./database.ts";
import type { RecordSignatures } from "./signed-records.ts";
import { overlongStringProblem, shortenQuotedValues } from "./validation.ts";

/** Codes GraphQL itself produces for a bad request; safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
]);
const MAX_BODY_BYTES = 1024 * 1024;

const NO_SIGNATURES: RecordSignatures = {
  sign: () => Promise.reject(new Error("This subgraph signs nothing.")),
  verify: () => Promise.reject(badInput("This subgraph accepts no signed records.")),
};

export interface InternalRoute {
  /** The claim the hub token must carry for this route (`scope`). */
  scope: string;
  handle(body: unknown, request: HubRequestContext): Promise<unknown>;
}

const noDatabase: SqlReader = () => Promise.reject(new Error("this subgraph has no database to read"));

export interface SubgraphServerOptions<Db> {
  name: string;
  schema: GraphQLSchema;
  db: Db;
  /** Plain SQL reads for the hot paths; a subgraph without a database leaves it out. */
  read?: SqlReader;
  hubPublicKey: CryptoKey;
  /** Answers whether the subgraph can serve (its database answers). */
  ready: () => Promise<boolean>;
  now?: () => Date;
  /** Non-GraphQL endpoints under /internal/, for the gateway only. */
  internalRoutes?: Record<string, InternalRoute>;
  auditPublicJwk?: JWK;
  /** Signs what this owner releases to another, and verifies what it receives (signed-records.ts). */
  signatures?: RecordSignatures;
  /** Writes READ entries to the owner's audit log; the answer waits for it and is withheld if it fails. */
  /** Appends a request's reads to the audit log, resolving with their chained rows. */
  recordAccess?: (entries: AuditInput[], at: Date) => Promise<AuditRow[]>;
  /** The caller's sharing grants from this subgraph's owners (none in subgraphs that hold no credit data). */
  loadGrants?: (caller: OrganisationCaller) => Promise<GrantTerms[]>;
  /** SQL statements sent to the owner's database so far, shown at /metrics. */
  sqlStatements?: () => number;
  logger?: Logger;
}

export interface SubgraphListen {
  port: number;
  host?: string;
  /** Where /metrics and /readiness are served; without it, nowhere of their own (the hub mounts `operatorRoutes`). */
  operator?: OperatorListen;
  /** Limits on slow clients; from the environment when left out. */
  timeouts?: HttpTimeouts;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  /** The operator's address (`/metrics`, `/readiness`, `/healthcheck`), when it listens on one of its own. */
  operatorUrl: string | null;
  /** The operator's routes, for a server that serves several subgraphs' (the one-process hub's). */
  operatorRoutes: OperatorRoutes;
  close(): Promise<void>;
}

/**
 * Serves one subgraph over plain node:http. Every GraphQL request must carry a
 * hub token minted for this subgraph and this exact body; nothing else gets in,
 * federation plumbing (`_service`, `_entities`) included.
 */
export async function startSubgraphServer<Db>(
  options: SubgraphServerOptions<Db>,
  listen: SubgraphListen,
): Promise<RunningSubgraph> {
  const log = options.logger ?? createLogger({ service: options.name });
  const now = options.now ?? (() => new Date());
  // Tokens live on the real clock; `now` is the domain clock, which tests move.
  const verifier = new HubTokenVerifier(options.hubPublicKey, options.name);
  const apollo = new ApolloServer<SubgraphContext<Db>>({
    schema: options.schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskError(formatted, error, log),
    // The process stops the subgraph itself on SIGTERM (close() below, then the audit head is signed and the
    // database closed); Apollo's own handler would stop it too and then re-raise the signal, ending the process
    // by signal before that is done.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const metrics = new Metrics("credit_hub_subgraph");
  const statements = options.sqlStatements;
  // Per request, the figure that shows an N+1 creeping in (see test/query-count.test.ts).
  if (statements) metrics.sample("sql_statements_total", "SQL statements sent to the owner's database.", statements);
  const timeouts = listen.timeouts ?? httpTimeoutsFromEnv();
  // Bounded header and body time: a client trickling its request holds a socket for seconds, not minutes.
  const server = createServer(boundedServerOptions(timeouts), (req, res) => {
    const startedAt = process.hrtime.bigint();
    res.once("finish", () => {
      const path = new URL(req.url ?? "/", "http://subgraph").pathname;
      const route = path === "/graphql" || path.startsWith("/internal/") ? path : "other";
      countRequest(metrics, route, res.statusCode, startedAt);
    });
    handle(req, res).catch((error) => {
      // A request its sender gave up on, or that the body time limit cut, is the client's doing: the operator's
      // error log is for faults the hub must fix.
      if (req.destroyed || req.aborted) log.info("request abandoned by its sender", errorFields(error));
      else log.error("request failed", errorFields(error));
      if (!res.headersSent) sendJson(res, 500, graphqlErrors("Internal error.", "INTERNAL_SERVER_ERROR"));
      else res.end();
    });
  });

  // Metrics and readiness are for the operator's network only; the public port answers 404 for them.
  const operatorRoutes: OperatorRoutes = (path) => {
    if (path === "/healthcheck") return (_req, res) => sendJson(res, 200, { status: "ok" });
    if (path === "/metrics")
      return (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
        res.end(metrics.render());
      };
    if (path === "/readiness")
      return async (_req, res) => {
        const ok = await options.ready().catch(() => false);
        sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "not ready" });
      };
    return undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://subgraph").pathname;
    // Liveness only (the process answers): what the gateway's subgraph health report asks.
    if (req.method === "GET" && path === "/healthcheck") return sendJson(res, 200, { status: "ok" });
    const route = path.startsWith("/internal/") ? options.internalRoutes?.[path.slice("/internal/".length)] : undefined;
    if (path !== "/graphql" && !route) return sendJson(res, 404, { error: "Not found." });
    if (req.method !== "POST") return sendJson(res, 405, graphqlErrors("Use POST.", "BAD_REQUEST"));

    const body = await readBody(req);
    if (body === null) return sendJson(res, 413, graphqlErrors("The request body is too large.", "BAD_REQUEST"));
    let request: HubRequestContext;
    try {
      request = await verifier.verify(header(req, HUB_TOKEN_HEADER), body);
    } catch (error) {
      if (!(error instanceof HubTokenError)) throw error;
      log.warn("refused request without a valid hub token", { reason: error.message, path });
      return sendJson(res, 401, graphqlErrors(error.message, "UNAUTHENTICATED"));
    }
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body.toString("utf8")) : undefined;
    } catch {
      return sendJson(res, 400, graphqlErrors("The request body is not valid JSON.", "BAD_REQUEST"));
    }

    // A token is for GraphQL or for one internal endpoint, never both.
    if (request.scope !== (route?.scope ?? null))
      return sendJson(res, 401, graphqlErrors("The hub token is not valid for this endpoint.", "UNAUTHENTICATED"));
    if (route) return sendJson(res, 200, await route.handle(parsed, request));
    // The SDK-wide ceiling on every string argument, before any resolver runs (fields keep their own, lower bounds).
    const overlong = overlongStringProblem(parsed);
    if (overlong)
      return sendJson(res, 200, {
        data: null,
        errors: [{ message: overlong, extensions: { code: "BAD_USER_INPUT" } }],
      });

    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: "POST", headers, search: "", body: parsed };
    const notes: AccessNote[] = [];
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => ({
        caller: request.caller,
        purpose: request.purpose,
        requestId: request.requestId,
        db: options.db,
        read: options.read ?? noDatabase,
        now,
        access: requestAccess(request, now(), options.loadGrants, notes),
        known: new Set(request.known),
        audit: auditWriter(request),
        auditPublicJwk: options.auditPublicJwk ?? null,
        signatures: options.signatures ?? NO_SIGNATURES,
        loaders: new Map(),
        recordReleases: async (decisions: AccessNote[]) => {
          if (!options.recordAccess) throw new Error(`The ${options.name} subgraph keeps no audit log.`);
          const rows = await options.recordAccess(readEntries(decisions, request), now());
          return rows.map((r) => ({ ownerId: r.ownerId, decision: r.decision, seq: r.seq, hash: r.hash }));
        },
      }),
    });
    if (response.body.kind !== "complete") {
      // Incremental delivery would let data out before it is recorded; no subgraph schema enables it.
      return sendJson(res, 400, graphqlErrors("Incremental delivery is not supported.", "BAD_REQUEST"));
    }
    const entries = readEntries(notes, request);
    if (entries.length && options.recordAccess) {
      try {
        await options.recordAccess(entries, now());
      } catch (error) {
        log.error("audit log not written; answer withheld", { requestId: request.requestId, ...errorFields(error) });
        return sendJson(res, 200, {
          data: null,
          errors: [
            {
              message:
                "The data owner could not record this access in its audit log, so nothing was released. Try again shortly.",
              extensions: { code: "AUDIT_UNAVAILABLE" },
            },
          ],
        });
      }
    }
    for (const [k, v] of response.headers) res.setHeader(k, v);
    res.statusCode = response.status ?? 200;
    res.end(response.body.string);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listen.host && listen.host !== "0.0.0.0" ? listen.host : "127.0.0.1"}:${port}/graphql`;
  const operator = listen.operator
    ? await startOperatorServer(listen.operator, operatorRoutes, timeouts).catch((error) => {
        server.close();
        throw error;
      })
    : null;
  log.debug("subgraph listening");

  return {
    name: options.name,
    url,
    operatorUrl: operator?.url ?? null,
    operatorRoutes,
    async close() {
      await operator?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}

/**
 * Client errors pass as they are; anything else is an internal fault, logged
 * here with its details and shown to the client only as a code and a request id.
 */
function maskError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? "");
  // GraphQL's own coercion messages quote the whole invalid variable value; cut any long quoted value short.
  if (CLIENT_ERROR_CODES.has(code) || REQUEST_ERROR_CODES.has(code))
    return { ...formatted, message: shortenQuotedValues(formatted.message) };
  log.error("internal error", { path: formatted.path, ...errorFields(unwrapResolverError(error)) });
  return {
    message: "Internal error.",
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

function requestAccess(
  request: HubRequestContext,
  now: Date,
  loadGrants: SubgraphServerOptions<unknown>["loadGrants"],
  notes: AccessNote[],
): RequestAccess {
  let grants: Promise<GrantTerms[]> | undefined;
  return {
    note: (n) => {
      if (!isOwnParty(request.caller, n.subject)) notes.push(n);
    },
    caller: request.caller,
    purpose: request.purpose,
    consents: consentsByEnterprise(request.consents),
    now,
    // Loaded at most once per request, and only when a non-public field asks.
    grants: () => {
      grants ??=
        request.caller.kind === "organisation" && loadGrants ? loadGrants(request.caller) : Promise.resolve([]);
      return grants;
    },
  };
}

/** One entry per owner, enterprise, action and decision, naming the fields: bounded however many rows were decided. */
function readEntries(notes: AccessNote[], request: HubRequestContext): AuditInput[] {
  type Group = AccessNote["subject"] & {
    action: "READ" | "WRITE";
    allowed: boolean;
    consentId?: string;
    fields: Set<string>;
  };
  const grouped = new Map<string, Group>();
  for (const n of notes) {
    const action = n.action ?? "READ";
    const key = `${n.subject.ownerId}|${n.subject.uscc}|${action}|${n.allowed}`;
    const group: Group = grouped.get(key) ?? { ...n.subject, action, allowed: n.allowed, fields: new Set<string>() };
    group.fields.add(n.field);
    // The consent its CONSENT-class fields were released on: one per owner and enterprise in a request (the one
    // coveringConsent picks), cited by the entry as the lawful basis of the release.
    group.consentId ??= n.consentId;
    grouped.set(key, group);
  }
  return [...grouped.values()].map((g) => ({
    ...callerColumns(request),
    ownerId: g.ownerId,
    uscc: g.uscc,
    action: g.action,
    decision: g.allowed ? "RELEASED" : "DENIED",
    fields: [...g.fields].sort(),
    ...(g.consentId ? { detail: { consentId: g.consentId } } : {}),
  }));
}

function consentsByEnterprise(consents: readonly ConsentBasis[]): ReadonlyMap<string, ConsentBasis[]> {
  const byUscc = new Map<string, ConsentBasis[]>();
  for (const c of consents) byUscc.set(c.uscc, [...(byUscc.get(c.uscc) ?? []), c]);
  return byUscc;
}

function callerColumns(request: HubRequestContext) {
  const { caller } = request;
  return {
    requestId: request.requestId,
    callerId: caller.kind === "organisation" ? caller.organisationId : null,
    callerType: caller.kind === "organisation" ? caller.organisationType : null,
    purpose: request.purpose,
  };
}

/** For resolvers that change audited data: entries go into their own transaction. */
function auditWriter(request: HubRequestContext): AuditWriter {
  return {
    write: (tx, entries, at) =>
      appendAudit(
        tx,
        entries.map((e) => ({ ...callerColumns(request), fields: [], ...e })),
        at,
      ),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function graphqlErrors(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}
