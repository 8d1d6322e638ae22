import { type Env, readSettings } from "../operations/settings.ts";
import { PUBLIC_DOCUMENTS } from "./public-page.ts";
import { byHash, HUB_DOCUMENTS, readManifest, type TrustedDocuments } from "./trusted-documents.ts";

/**
 * The gateway's public edge: what a hostile client meets before any owner is
 * asked. Every limit is configurable (environment, see README) and rejects
 * with its own code (edge-errors.ts); in production (`NODE_ENV=production`)
 * introspection and "did you mean" suggestions are for hub operators only.
 * The checks themselves are plugins, one a file (gateway/use*.ts), in the
 * order plugins.ts gives them.
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
  /** Operations registered by hash (the public page's, the hub's own and the operator's manifest); see trusted-documents.ts. */
  trustedDocuments: TrustedDocuments;
  /** Trusted-documents mode: anonymous callers may run only the registered operations. */
  trustedDocumentsOnly: boolean;
}

/**
 * The edge as the environment configures it (defaults and checks in operations/settings.ts); a malformed
 * setting stops start-up with its name.
 */
export function edgeOptionsFromEnv(env?: Env): EdgeOptions {
  const s = readSettings(
    [
      "NODE_ENV",
      "GRAPHQL_MAX_DEPTH",
      "GRAPHQL_MAX_ALIASES",
      "GRAPHQL_MAX_DIRECTIVES",
      "GRAPHQL_MAX_TOKENS",
      "GRAPHQL_MAX_COST",
      "MAX_RESPONSE_BYTES",
      "GRAPHQL_MAX_BATCH",
      "MAX_BODY_BYTES",
      "CORS_ORIGINS",
      "RATE_LIMIT_PER_MINUTE",
      "TRUSTED_DOCUMENTS_FILE",
      "TRUSTED_DOCUMENTS_ONLY",
    ],
    env,
  );
  const production = s.NODE_ENV === "production";
  return {
    production,
    maxDepth: s.GRAPHQL_MAX_DEPTH,
    maxAliases: s.GRAPHQL_MAX_ALIASES,
    maxDirectives: s.GRAPHQL_MAX_DIRECTIVES,
    maxTokens: s.GRAPHQL_MAX_TOKENS,
    // A bank's standings of 100 with the whole standing selected costs about 7,000; 110 aliases of
    // `enterprises(first: 100) { uscc }` cost 22,000.
    maxCost: s.GRAPHQL_MAX_COST,
    // A bureau's feed page of 500 signed changes is well under 1 MiB.
    maxResponseBytes: s.MAX_RESPONSE_BYTES,
    maxBatch: s.GRAPHQL_MAX_BATCH,
    maxBodyBytes: s.MAX_BODY_BYTES,
    corsOrigins: s.CORS_ORIGINS,
    // On by default in production: a bank's busiest batch job stays well under 10 requests a second.
    rateLimitPerMinute: s.RATE_LIMIT_PER_MINUTE === undefined ? (production ? 600 : null) : s.RATE_LIMIT_PER_MINUTE,
    csrfPrevention: true,
    scrubErrors: true,
    trustedDocuments: new Map([
      ...byHash(Object.values(PUBLIC_DOCUMENTS)),
      ...byHash(Object.values(HUB_DOCUMENTS)),
      ...(s.TRUSTED_DOCUMENTS_FILE ? readManifest(s.TRUSTED_DOCUMENTS_FILE) : []),
    ]),
    trustedDocumentsOnly: s.TRUSTED_DOCUMENTS_ONLY,
  };
}
