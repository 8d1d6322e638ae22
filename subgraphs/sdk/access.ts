import type { Sensitivity } from "../../protocol/access-terms.ts";
import { forbidden } from "../../protocol/errors.ts";
import type { ConsentBasis } from "../../protocol/hub-token.ts";
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
  /** By USCC, the live consents enterprises gave this caller for this purpose (from the registry, via the hub token). */
  consents: ReadonlyMap<string, readonly ConsentBasis[]>;
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
  /** The consent a CONSENT-class release relied on: its lawful basis, cited in the audit entry. */
  consentId?: string;
}

/** Whether the caller is the row's owner or the enterprise it is about: their own data, not a release. */
export function isOwnParty(caller: Caller, subject: NotedSubject): boolean {
  if (caller.kind !== "organisation") return false;
  return (
    caller.organisationId === subject.ownerId ||
    (caller.organisationType === "ENTERPRISE" && caller.uscc === subject.uscc)
  );
}

/**
 * Why a field was withheld, as a stable code a program can act on (the GraphQL error's `extensions.reason`, beside
 * `code: FORBIDDEN`); the message says the same to people, in Chinese and English.
 */
export type DenialCode =
  | "SIGN_IN_REQUIRED"
  | "OPERATOR_PUBLIC_ONLY"
  | "OWNER_ONLY"
  | "OWNER_AND_ENTERPRISE_ONLY"
  | "PURPOSE_MISSING"
  | "GRANT_MISSING"
  | "PURPOSE_NOT_GRANTED"
  | "CONSENT_MISSING";

/** A release, with the consent it relied on when the class is CONSENT; or a refusal, with why. */
export type Decision = { allowed: true; consentId?: string } | { allowed: false; reason: string; code: DenialCode };

const ALLOW: Decision = { allowed: true };
const deny = (code: DenialCode, reason: string): Decision => ({ allowed: false, reason, code });

/** Of an enterprise's consents to the caller, one that covers this owner's data (a consent for every owner first). */
export function coveringConsent(
  consents: readonly ConsentBasis[] | undefined,
  ownerId: string,
): ConsentBasis | undefined {
  return consents?.find((c) => c.owners.length === 0) ?? consents?.find((c) => c.owners.includes(ownerId));
}

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
  if (caller.kind !== "organisation")
    return deny("SIGN_IN_REQUIRED", `请先登录：此字段为 ${cls} 类数据 / Sign in: this field is ${cls} data.`);
  // The operator runs the hub and is no party to credit data, whatever a grant names (protocol/identity.ts).
  if (caller.organisationType === "HUB")
    return deny("OPERATOR_PUBLIC_ONLY", "平台运营方只能查看公开数据 / The hub's operator sees only public data.");
  if (caller.organisationId === subject.ownerId) return ALLOW;
  if (cls === "INTERNAL")
    return deny("OWNER_ONLY", "仅数据保管机构可见此字段 / Only the organisation that keeps this data sees this field.");
  if (isOwnParty(caller, subject)) return ALLOW;
  if (cls === "MEMBER")
    return deny(
      "OWNER_AND_ENTERPRISE_ONLY",
      "仅数据保管机构和企业本身可见此字段 / Only the organisation that keeps this data and the enterprise itself see this field.",
    );

  if (!access.purpose)
    return deny("PURPOSE_MISSING", `请说明查询用途（x-purpose）/ State your purpose (x-purpose) to see ${cls} data.`);
  const grants = (await access.grants()).filter(
    (g) =>
      g.ownerId === subject.ownerId && grantCovers(g, caller) && grantIsLive(g, access.now) && g.classes.includes(cls),
  );
  if (grants.length === 0)
    return deny(
      "GRANT_MISSING",
      `数据保管机构未授予您 ${cls} 类数据的访问权 / The owner of this data has not granted you ${cls} access.`,
    );
  if (!grants.some((g) => g.purposes.includes(access.purpose as string)))
    return deny(
      "PURPOSE_NOT_GRANTED",
      `数据保管机构的授权不包括用途 ${access.purpose} / The owner's grant does not cover the purpose ${access.purpose}.`,
    );
  if (cls !== "CONSENT") return ALLOW;
  const consent = coveringConsent(access.consents.get(subject.uscc), subject.ownerId);
  if (!consent)
    return deny(
      "CONSENT_MISSING",
      `该企业未就用途 ${access.purpose} 向您授权同意 / The enterprise has not given you consent for ${access.purpose}.`,
    );
  return { allowed: true, consentId: consent.consentId };
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
    const decision = await decide(cls, subject, access);
    access.note(noteOf(subject, field, decision));
    if (decision.allowed) shown.push(row);
  }
  return shown;
}

/** A refusal as the client sees it: FORBIDDEN, with the reason's code in `extensions.reason`. */
export const denied = (decision: { reason: string; code: DenialCode }) => forbidden(decision.reason, decision.code);

/** A decision as the audit log keeps it: with the consent a release relied on. */
export function noteOf(subject: Subject, field: string, decision: Decision): AccessNote {
  return decision.allowed && decision.consentId
    ? { subject, field, allowed: true, consentId: decision.consentId }
    : { subject, field, allowed: decision.allowed };
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
