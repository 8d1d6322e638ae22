import type { JWK } from "jose";
import type { RequestAccess } from "./access.ts";
import type { AuditInput, AuditTx } from "./audit.ts";
import { unauthenticated } from "./errors.ts";
import type { Caller } from "./identity.ts";
import { isOrganisation } from "./identity.ts";
import type { RequestLoaders } from "./loaders.ts";
import type { RecordSignatures } from "./signed-records.ts";

/** What every subgraph resolver receives; `Db` is that subgraph's own Prisma client. */
export interface SubgraphContext<Db> {
  caller: Caller;
  /** The purpose the caller stated for this request (x-purpose), if any. */
  purpose: string | null;
  requestId: string;
  db: Db;
  /** Injectable clock, so tests of time rules need no waiting. */
  now: () => Date;
  /** The caller's grants and consents, for the permission layer. */
  access: RequestAccess;
  /** The owner's audit log, for resolvers that change audited data (caller, purpose and request id filled in). */
  audit: AuditWriter;
  /** The public key that verifies this owner's audit checkpoints, when it keeps an audit log. */
  auditPublicJwk: JWK | null;
  /** Signs records this owner releases to another owner, and verifies those it receives. */
  signatures: RecordSignatures;
  /** This request's DataLoaders (see loaders.ts). */
  loaders: RequestLoaders;
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
