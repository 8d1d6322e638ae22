import { PUBLIC_DOCUMENTS } from "./public-page.ts";
import { byHash, readManifest, type TrustedDocuments } from "./trusted-documents.ts";

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
  /** Operations registered by hash (the public page's and the operator's manifest); see trusted-documents.ts. */
  trustedDocuments: TrustedDocuments;
  /** Trusted-documents mode: anonymous callers may run only the registered operations. */
  trustedDocumentsOnly: boolean;
}

const positive = (name: string, value: string | undefined, fallback: number | null): number | null => {
  if (value === undefined || value === "") return fallback;
  if (value === "off") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number above 0, or "off"; got ${JSON.stringify(value)}.`);
  return n;
};

const flag = (name: string, value: string | undefined): boolean => {
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new Error(`${name} must be 1 or 0; got ${JSON.stringify(value)}.`);
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
