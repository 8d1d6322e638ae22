import type { Sensitivity } from "../../protocol/access-terms.ts";
import type { Caller, OrganisationType } from "../../protocol/identity.ts";

/** Whose row it is and which enterprise it is about: what every decision turns on. */
export interface Subject {
  ownerId: string;
  uscc: string;
}

/** A sharing grant as the decision needs it (each owner subgraph stores its own). */
export interface GrantTerms {
  ownerId: string;
  consumerOrganisationId: string | null;
  consumerType: OrganisationType | null;
  classes: readonly string[];
  purposes: readonly string[];
  validFrom: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
}

/** What one request knows about the caller's rights beyond who they are. */
export interface RequestAccess {
  caller: Caller;
  purpose: string | null;
  /** Enterprises that gave this caller live consent for this purpose (from the registry, via the hub token). */
  consents: ReadonlySet<string>;
  /** The caller's grants from owners in this subgraph, loaded once per request. */
  grants(): Promise<readonly GrantTerms[]>;
  now: Date;
  /** Records a decision on a non-public field, for the owner's audit log. */
  note(decision: AccessNote): void;
}

/** Whose data a decision was about, as far as it is known: a write refused before any row was read names no owner. */
export interface NotedSubject {
  ownerId: string | null;
  uscc: string | null;
}

/** One decision on one field of one row, or on one attempt to change data. */
export interface AccessNote {
  subject: NotedSubject;
  /** `Type.field` */
  field: string;
  allowed: boolean;
  /** READ when left out. */
  action?: "READ" | "WRITE";
}

/** Whether the caller is the row's owner or the enterprise it is about: their own data, not a release. */
export function isOwnParty(caller: Caller, subject: NotedSubject): boolean {
  if (caller.kind !== "organisation") return false;
  return (
    caller.organisationId === subject.ownerId ||
    (caller.organisationType === "ENTERPRISE" && caller.uscc === subject.uscc)
  );
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function grantIsLive(grant: GrantTerms, now: Date): boolean {
  return (
    grant.revokedAt === null &&
    grant.validFrom.getTime() <= now.getTime() &&
    (grant.validUntil === null || now.getTime() < grant.validUntil.getTime())
  );
}

export function grantCovers(grant: GrantTerms, caller: Caller): boolean {
  if (caller.kind !== "organisation") return false;
  return grant.consumerOrganisationId === caller.organisationId || grant.consumerType === caller.organisationType;
}

/** Decides whether the caller may see a field of class `cls` on a row about `subject`. */
export async function decide(cls: Sensitivity, subject: Subject, access: RequestAccess): Promise<Decision> {
  if (cls === "PUBLIC") return ALLOW;
  const { caller } = access;
  if (caller.kind !== "organisation") return deny(`Sign in: this field is ${cls} data.`);
  // The operator runs the hub and is no party to credit data, whatever a grant names (protocol/identity.ts).
  if (caller.organisationType === "HUB") return deny("The hub's operator sees only public data.");
  if (caller.organisationId === subject.ownerId) return ALLOW;
  if (cls === "INTERNAL") return deny("Only the organisation that keeps this data sees this field.");
  if (isOwnParty(caller, subject)) return ALLOW;
  if (cls === "MEMBER")
    return deny("Only the organisation that keeps this data and the enterprise itself see this field.");

  if (!access.purpose) return deny(`State your purpose (x-purpose) to see ${cls} data.`);
  const grants = (await access.grants()).filter(
    (g) =>
      g.ownerId === subject.ownerId && grantCovers(g, caller) && grantIsLive(g, access.now) && g.classes.includes(cls),
  );
  if (grants.length === 0) return deny(`The owner of this data has not granted you ${cls} access.`);
  if (!grants.some((g) => g.purposes.includes(access.purpose as string)))
    return deny(`The owner's grant does not cover the purpose ${access.purpose}.`);
  if (cls === "CONSENT" && !access.consents.has(subject.uscc))
    return deny(`The enterprise has not given you consent for ${access.purpose}.`);
  return ALLOW;
}

/**
 * What governs whether a caller may know a row exists at all: a class for
 * every row of the type, or one per row (a warning is the member's business,
 * a public condemnation everyone's). Rows a caller may not know of are left
 * out of lists, and a single one answers like a row that is not there.
 */
export type Existence<Row> =
  | { exists: Sensitivity }
  | {
      exists: (row: Row) => Sensitivity;
      /** What the access matrix says: which rows get which class. */
      rule: string;
    };

/** A type's declaration, as the permission layer reads it from the type's extensions. */
export interface SubjectDeclaration<Row = unknown> {
  subject: (row: Row) => Subject;
  existence: Existence<Row> & {
    /** How a root field answers for a row that is not there, so a withheld one answers the same (else null, or NOT_FOUND on a non-null field). */
    notFound?: (args: Record<string, unknown>) => Error;
  };
}

export function existenceClass<Row>(existence: Existence<Row>, row: Row): Sensitivity {
  return typeof existence.exists === "function" ? existence.exists(row) : existence.exists;
}

/** What the access matrix shows as a type's existence class. */
export function existenceRule(existence: Existence<never>): string {
  return typeof existence.exists === "function"
    ? `by row: ${"rule" in existence ? existence.rule : ""}`
    : existence.exists;
}

/**
 * The rows the caller may know exist, each decided like a field of its
 * existence class and noted under `field` (the list or field that would have
 * shown it), so a withheld row is a denial in the enterprise's access
 * history. Decisions reuse the request's grants: no query per row.
 */
export async function visibleRows<Row>(
  rows: readonly Row[],
  declaration: SubjectDeclaration<Row>,
  access: RequestAccess,
  field: string,
): Promise<Row[]> {
  const shown: Row[] = [];
  for (const row of rows) {
    const cls = existenceClass(declaration.existence, row);
    if (cls === "PUBLIC") {
      shown.push(row);
      continue;
    }
    const subject = declaration.subject(row);
    const { allowed } = await decide(cls, subject, access);
    access.note({ subject, field, allowed });
    if (allowed) shown.push(row);
  }
  return shown;
}

/** Field options that declare a field's sensitivity class (read by the permission layer and the access matrix). */
export function classified(cls: Sensitivity) {
  return { extensions: { sensitivity: cls } };
}

/**
 * Field options for a field whose class depends on the row — a sanction is
 * PUBLIC from public condemnation up and the member's business below. The
 * access matrix shows `rule` (say which rows get which class).
 */
export function classifiedByRow<Row>(classOf: (row: Row) => Sensitivity, rule: string) {
  return { extensions: { sensitivityOf: classOf, sensitivityRule: rule } };
}

/**
 * Type option that tells the permission layer whose row it is, which
 * enterprise it is about, and which class governs its very existence. Every
 * field that returns the type then shows only rows the caller may know of.
 */
export function subjectOf<Row>(subject: (row: Row) => Subject, existence: SubjectDeclaration<Row>["existence"]) {
  return { extensions: { subject, existence } };
}
