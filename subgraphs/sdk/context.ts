import type { JWK } from "jose";
import { notFound, unauthenticated } from "../../protocol/errors.ts";
import type { Caller } from "../../protocol/identity.ts";
import { isOrganisation } from "../../protocol/identity.ts";
import type { AccessNote, RequestAccess } from "./access.ts";
import type { AuditInput, AuditTx } from "./audit.ts";
import type { SqlReader } from "./database.ts";
import type { RequestLoaders } from "./loaders.ts";
import type { RecordSignatures } from "./signed-records.ts";

/** What every subgraph resolver receives; `Db` is that subgraph's own Prisma client. */
export interface SubgraphContext<Db> {
  caller: Caller;
  /** The purpose the caller stated for this request (x-purpose), if any. */
  purpose: string | null;
  requestId: string;
  db: Db;
  /** Plain SQL reads past Prisma, for the hot read paths (database.ts, SqlReader). */
  read: SqlReader;
  /** Injectable clock, so tests of time rules need no waiting. */
  now: () => Date;
  /** The caller's grants and consents, for the permission layer. */
  access: RequestAccess;
  /**
   * Enterprises of this request that the hub's directory (the registry) knows,
   * as the gateway signed them into the hub token. Filled for mutations only;
   * owners never read the registry's tables, so this is how they learn it.
   */
  known: ReadonlySet<string>;
  /** The owner's audit log, for resolvers that change audited data (caller, purpose and request id filled in). */
  audit: AuditWriter;
  /** The public key that verifies this owner's audit checkpoints, when it keeps an audit log. */
  auditPublicJwk: JWK | null;
  /** Signs records this owner releases to another owner, and verifies those it receives. */
  signatures: RecordSignatures;
  /** This request's DataLoaders (see loaders.ts). */
  loaders: RequestLoaders;
  /**
   * Records access decisions now rather than once the answer is ready, and
   * returns their audit entries: for a release that must name its own entry
   * (a standing report's signed part cites the sequence and hash it was logged under).
   */
  recordReleases(
    decisions: AccessNote[],
  ): Promise<{ ownerId: string | null; decision: string; seq: bigint; hash: string }[]>;
}

export interface AuditWriter {
  write(
    tx: AuditTx,
    entries: (Omit<AuditInput, "requestId" | "callerId" | "callerType" | "purpose" | "fields"> & {
      fields?: string[];
    })[],
    at: Date,
  ): Promise<void>;
}

export type OrganisationCaller = Extract<Caller, { kind: "organisation" }>;

/** The caller as an organisation, or UNAUTHENTICATED. */
export function requireOrganisation(caller: Caller): OrganisationCaller {
  if (!isOrganisation(caller)) throw unauthenticated("Sign in with your organisation's API key to do this.");
  return caller;
}

/**
 * Every owner write about an enterprise calls this first: a fact about a code
 * the directory does not know would be stored but reachable by nobody — the
 * supergraph's `Enterprise` is resolved by the registry, so `enterprise(uscc:)`
 * and `standing` answer NOT_FOUND for it — and nobody would be told.
 * NOT_FOUND rather than BAD_USER_INPUT: the code is well formed, it just names
 * no enterprise the hub knows, which is what `enterprise(uscc:)` says too.
 */
export function requireKnownEnterprise(context: Pick<SubgraphContext<unknown>, "known">, uscc: string): void {
  if (!context.known.has(uscc))
    throw notFound(
      `The hub's directory does not know enterprise ${uscc}; register it first (registerEnterprise), then try again.`,
    );
}
