import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { REQUEST_ID_HEADER } from "../protocol/headers.ts";
import { readCappedBody } from "./capped-reads.ts";
import { CLIENT_ADDRESS_HEADER } from "./client-address.ts";
import { documentHash } from "./trusted-documents.ts";

/**
 * The public query page (`/`): look an enterprise up by USCC or by name, see
 * its valid grade, certificate, issuer and validity, its public sanctions and
 * list entries, and the methodology behind the grade. Plain HTML, CSS and
 * JavaScript served from this folder — nothing from a CDN.
 *
 * The page talks to one endpoint, `POST /public/graphql`, which runs only the
 * fixed documents below, always as an anonymous caller (whatever headers come
 * with the request): the page can reach nothing an anonymous caller could not.
 */

const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/assets/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/assets/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/** The only operations the page's endpoint runs, by name. Every field in them is PUBLIC. */
export const PUBLIC_DOCUMENTS = {
  search: /* GraphQL */ `
    query PublicSearch($name: String!) {
      enterprises(nameContains: $name, first: 20) { uscc name evaluation { grade status } }
    }
  `,
  enterprise: /* GraphQL */ `
    query PublicEnterprise($uscc: USCC!) {
      enterprise(uscc: $uscc) {
        uscc
        name
        evaluation {
          grade gradeCode tier certificateNumber issuedOn validUntil status
          association { id name }
          agency { name }
          methodology { id version title }
        }
        sanctions {
          level levelName reason decidedOn clause
          association { name }
          convention { title version }
        }
        listEntries { list reason enteredOn exitEligibleOn disputed association { name } }
        memberships { status joinedOn association { name } }
      }
    }
  `,
  methodology: /* GraphQL */ `
    query PublicMethodology($id: ID!) {
      evaluationMethodology(id: $id) {
        id version title publishedAt
        association { name }
        indicators { code name weight description }
        gradeFloors { grade code tier lowestScore }
      }
    }
  `,
} as const;

const HASHES = Object.fromEntries(Object.entries(PUBLIC_DOCUMENTS).map(([k, d]) => [k, documentHash(d)])) as Record<
  keyof typeof PUBLIC_DOCUMENTS,
  string
>;

/** Each document's variables: name, and the longest value the page ever sends. */
const VARIABLES: Record<keyof typeof PUBLIC_DOCUMENTS, Record<string, number>> = {
  search: { name: 50 },
  enterprise: { uscc: 18 },
  methodology: { id: 36 },
};

const MAX_BODY = 4096;

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Serves the page and its endpoint; returns false for any other path, which
 * the gateway then handles. `gatewayFetch` reaches the gateway in-process.
 */
export function publicPage(gatewayFetch: Fetch) {
  const folder = new URL("./public-page/", import.meta.url);
  const cache = new Map<string, Buffer>();
  const asset = (file: string) => {
    let body = cache.get(file);
    if (!body) {
      body = readFileSync(new URL(file, folder));
      cache.set(file, body);
    }
    return body;
  };

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? "/", "http://page").pathname;
    if (path === "/public/graphql") {
      await runFixedDocument(req, res, gatewayFetch);
      return true;
    }
    const found = ASSETS[path];
    if (!found || (req.method !== "GET" && req.method !== "HEAD")) return false;
    res.writeHead(200, {
      "content-type": found.type,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      // Only this origin's own files and endpoint: the page loads nothing from anywhere else.
      "content-security-policy":
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
    });
    res.end(req.method === "HEAD" ? undefined : asset(found.file));
    return true;
  };
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const refuse = (res: ServerResponse, message: string, status = 400) =>
  reply(res, status, { errors: [{ message, extensions: { code: "BAD_USER_INPUT" } }] });

async function runFixedDocument(req: IncomingMessage, res: ServerResponse, gatewayFetch: Fetch) {
  if (req.method !== "POST") return refuse(res, "POST a document name and its variables.", 405);
  const raw = await readCappedBody(req, MAX_BODY);
  if (!raw) return refuse(res, "The request is too large.", 413);
  let body: { document?: unknown; variables?: unknown };
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return refuse(res, "The body is not JSON.");
  }
  const name = body?.document;
  if (typeof name !== "string" || !Object.hasOwn(PUBLIC_DOCUMENTS, name))
    return refuse(
      res,
      `This endpoint runs only the public page's documents: ${Object.keys(PUBLIC_DOCUMENTS).join(", ")}.`,
    );
  const document = name as keyof typeof PUBLIC_DOCUMENTS;
  const given = (body.variables ?? {}) as Record<string, unknown>;
  const variables: Record<string, string> = {};
  for (const [key, max] of Object.entries(VARIABLES[document])) {
    const value = given[key];
    if (typeof value !== "string" || value.length === 0 || value.length > max)
      return refuse(res, `${document} needs ${key}: text of at most ${max} characters.`);
    variables[key] = value;
  }
  const extra = Object.keys(given).filter((k) => !(k in VARIABLES[document]));
  if (extra.length) return refuse(res, `${document} takes no ${extra.join(", ")}.`);

  // A fresh request with no credential and no purpose — the anonymous caller — sending the document by its
  // registered hash, so it runs in trusted-documents mode too; rate-limited by the client's address like any other.
  const response = await gatewayFetch("http://public-page/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      [CLIENT_ADDRESS_HEADER]: String(req.headers[CLIENT_ADDRESS_HEADER] ?? "unknown"),
      [REQUEST_ID_HEADER]: String(req.headers[REQUEST_ID_HEADER] ?? ""),
    },
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: HASHES[document] } } }),
  });
  reply(res, response.status, await response.json());
}
