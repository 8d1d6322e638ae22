import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { GraphQLError, parse } from "graphql";
import { API_KEY_HEADER } from "../protocol/headers.ts";

/**
 * Trusted documents: operations registered with the hub ahead of time, run by
 * the SHA-256 of their text (`extensions.persistedQuery.sha256Hash`, as Apollo
 * and GraphQL Codegen clients send it). They are always accepted; in
 * trusted-documents mode they are all an anonymous caller may run, so the
 * public endpoint exposes a fixed set of queries, not the schema. Organisations
 * authenticate, are audited and rate-limited, and keep sending their own.
 *
 * The hub registers its public page's documents itself; an operator adds more
 * with a manifest file (`TRUSTED_DOCUMENTS_FILE`): `{ "<sha256 hex>": "query …" }`,
 * what `npm run hub -- documents add` writes.
 */

export type TrustedDocuments = ReadonlyMap<string, string>;

export const documentHash = (document: string) => createHash("sha256").update(document).digest("hex");

/**
 * Operations the hub registers itself because their caller has no credential yet: an enterprise accepting its
 * association's invitation gets its first key from it. With TRUSTED_DOCUMENTS_ONLY it is sent by hash.
 */
export const HUB_DOCUMENTS = {
  acceptInvitation: /* GraphQL */ `mutation AcceptInvitation($code: String!) {
  acceptInvitation(code: $code) { key apiKey { id roles } }
}`,
};

/** Documents by their hash. */
export const byHash = (documents: Iterable<string>) => new Map([...documents].map((d) => [documentHash(d), d]));

/** Reads a manifest, checking every entry; a bad one stops start-up with what to fix. */
export function readManifest(file: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`TRUSTED_DOCUMENTS_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new Error(`TRUSTED_DOCUMENTS_FILE ${file} must hold one JSON object: { "<sha256 hex>": "query …" }.`);
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(raw)) {
    if (typeof document !== "string")
      throw new Error(`TRUSTED_DOCUMENTS_FILE ${file}: the entry ${hash} is not a document's text.`);
    if (documentHash(document) !== hash)
      throw new Error(
        `TRUSTED_DOCUMENTS_FILE ${file}: the entry ${hash} is not the SHA-256 of its document (it is ${documentHash(document)}); was the text edited? Re-add it with \`npm run hub -- documents add\`.`,
      );
    try {
      parse(document);
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS_FILE ${file}: the entry ${hash} does not parse: ${(error as Error).message}`);
    }
    documents.set(hash, document);
  }
  return documents;
}

/** A request that presents a credential; useAuthentication then checks it, so presenting one is enough here. */
const presentsCredential = (request: Request) =>
  request.headers.has(API_KEY_HEADER) || request.headers.has("authorization");

const refusal = (message: string, code: string) => () =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The runtime's `persistedDocuments` option for these documents. */
export function trustedDocumentsConfig(documents: TrustedDocuments, anonymousOnlyTrusted: boolean) {
  return {
    getPersistedOperation: (hash: string) => documents.get(hash) ?? null,
    allowArbitraryDocuments: anonymousOnlyTrusted ? presentsCredential : true,
    customErrors: {
      notFound: refusal(
        "No registered operation has this hash. Anonymous callers may run only the hub's registered operations.",
        "DOCUMENT_NOT_TRUSTED",
      ),
      keyNotFound: refusal(
        "Send a query, or the SHA-256 of a registered operation in extensions.persistedQuery.sha256Hash.",
        "BAD_USER_INPUT",
      ),
      persistedQueryOnly: refusal(
        "This hub runs only registered operations for anonymous callers: send extensions.persistedQuery.sha256Hash of one of them, or authenticate with an API key.",
        "TRUSTED_DOCUMENTS_ONLY",
      ),
    },
  };
}
