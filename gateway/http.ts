import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { countRequest, type Metrics } from "../operations/metrics.ts";
import { REQUEST_ID_HEADER } from "../protocol/headers.ts";
import { readCappedAnswer, readCappedBody } from "./capped-reads.ts";
import { CLIENT_ADDRESS_HEADER } from "./client-address.ts";
import type { EdgeOptions } from "./edge-options.ts";

/**
 * The gateway's HTTP front: the public page first, then the GraphQL runtime.
 * Request bodies are read here, against the size limit, before anything
 * parses them (a hostile body never reaches a JSON or GraphQL parser whole),
 * and a batched request is counted before it is run. The client's address is
 * passed on in a header only this front sets (client-address.ts), for
 * per-address rate limits.
 */

/**
 * One id per request, from here to the runtime's own request-id plugin (its
 * log lines, the x-request-id it sends each subgraph and answers with) and the
 * hub token (the subgraphs' logs and audit entries). A client may choose it,
 * to find its request later, but only as a UUID (any version): the id is
 * written verbatim into every owner's audit log, so free text there — a name,
 * a USCC, something shaped to mislead whoever reads the log — is replaced
 * (the runtime's plugin alone would keep whatever the client sent).
 */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function settleRequestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

const ROUTES = new Set(["/graphql", "/public/graphql", "/", "/healthcheck"]);
/** Served on the operator's address (gateway/operator.ts), never on the public port. */
const OPERATOR_ONLY = new Set(["/readiness", "/metrics", "/health/subgraphs"]);

/** GraphQL errors by code, read off the answer on its way out. */
function countErrors(metrics: Metrics, answer: Buffer) {
  if (!answer.includes('"errors"')) return;
  try {
    const body = JSON.parse(answer.toString("utf8")) as { errors?: { extensions?: { code?: unknown } }[] };
    for (const e of body.errors ?? [])
      metrics.inc("graphql_errors_total", "GraphQL errors sent to clients, by code.", {
        code: typeof e.extensions?.code === "string" ? e.extensions.code : "NONE",
      });
  } catch {
    // Not JSON: nothing to count.
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type Fetch = (url: string, init: RequestInit) => Promise<Response>;

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

const responseTooLarge = (max: number) =>
  `The answer is larger than ${max} bytes: ask for fewer items or fields at once.`;

export function edgeHttpHandler(options: {
  edge: EdgeOptions;
  /** Counts what the public port answers; rendered on the operator's address. */
  metrics: Metrics;
  /** True once shutdown began: new requests are turned away, accepted ones finish. */
  isDraining: () => boolean;
  page: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  gateway: Handler;
  gatewayFetch: Fetch;
}): Handler {
  const { edge } = options;
  const tooLarge = `The request body is larger than ${edge.maxBodyBytes} bytes.`;
  const { metrics } = options;
  return (req, res) => {
    const startedAt = process.hrtime.bigint();
    const path = new URL(req.url ?? "/", "http://gateway").pathname;
    res.once("finish", () =>
      countRequest(
        metrics,
        ROUTES.has(path) ? path : path.startsWith("/assets/") ? "/assets" : "other",
        res.statusCode,
        startedAt,
      ),
    );
    // Whatever a client claims as its address is dropped; the socket's is the one that counts.
    delete req.headers[CLIENT_ADDRESS_HEADER];
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    // Set before anything answers, so even the edge's own refusals carry it.
    res.setHeader(REQUEST_ID_HEADER, settleRequestId(req));
    const handle = async () => {
      if (options.isDraining()) {
        res.setHeader("connection", "close");
        return refuse(res, 503, "SHUTTING_DOWN", "The hub is shutting down; try again shortly.");
      }
      // The runtime would answer /readiness itself; here it is the operator's, like /metrics.
      if (OPERATOR_ONLY.has(path)) return refuse(res, 404, "NOT_FOUND", "Not found.");
      if (await options.page(req, res)) return;
      if (req.method !== "POST") return options.gateway(req, res);
      if (Number(req.headers["content-length"] ?? 0) > edge.maxBodyBytes)
        return refuse(res, 413, "PAYLOAD_TOO_LARGE", tooLarge);
      const body = await readCappedBody(req, edge.maxBodyBytes);
      if (!body) return refuse(res, 413, "PAYLOAD_TOO_LARGE", tooLarge);
      // Counted here, not by the runtime's `batching.limit`: that refuses after its parser has taken the whole body, as BAD_REQUEST.
      if (body[0] === 0x5b /* [ */) {
        let operations = 0;
        try {
          const parsed: unknown = JSON.parse(body.toString("utf8"));
          operations = Array.isArray(parsed) ? parsed.length : 0;
        } catch {
          // Not JSON: the runtime answers that as any malformed request.
        }
        if (operations > edge.maxBatch)
          return refuse(
            res,
            400,
            "BATCH_TOO_LARGE",
            edge.maxBatch === 1
              ? "Send one operation per request: batched requests are not accepted."
              : `A batched request may hold at most ${edge.maxBatch} operations; this one has ${operations}.`,
          );
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined && !name.startsWith(":"))
          headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      headers.delete("content-length");
      const response = await options.gatewayFetch(`http://${req.headers.host ?? "gateway"}${req.url ?? "/"}`, {
        method: "POST",
        headers,
        body: new Uint8Array(body),
      });
      const answer = await readCappedAnswer(response, edge.maxResponseBytes);
      if (!answer) return refuse(res, 400, "RESPONSE_TOO_LARGE", responseTooLarge(edge.maxResponseBytes ?? 0));
      countErrors(metrics, answer);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(answer);
    };
    handle().catch(() => {
      if (!res.headersSent) refuse(res, 500, "INTERNAL_SERVER_ERROR", "Internal error.");
      else res.end();
    });
  };
}
