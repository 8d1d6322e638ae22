import type { CreditRecord, CreditRecordRevision, Prisma } from "../../../prisma/associations/generated/client.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { type OrganisationCaller, requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { isUuid, MAX_LABEL, optionalText, requireText } from "../../sdk/validation.ts";
import { recordChanges } from "../feed.ts";
import { type AssociationsContext, builder, EnterpriseRef, OrganisationRef } from "../owner.ts";
import { retentionCutoff, shownDespiteRetention } from "../rules/retention.ts";
import {
  CREDIT_CATEGORIES,
  correction,
  correctionPatch,
  POLARITIES,
  type RecordChange,
  type RecordChanges,
  type RecordPatch,
  recordDatesProblem,
  retraction,
  revisable,
  revisionKind,
  revisionOf,
} from "../rules/revisions.ts";
import { accepted, refuse } from "./problems.ts";

export const PolarityEnum = builder.enumType("Polarity", {
  values: POLARITIES,
  description: "Whether a record speaks for (POSITIVE) or against (NEGATIVE) the enterprise's credit.",
});

export const CreditCategoryEnum = builder.enumType("CreditCategory", {
  values: CREDIT_CATEGORIES,
});

export const RecordStatusEnum = builder.enumType("RecordStatus", {
  values: ["ACTIVE", "RETRACTED"] as const,
  description: "RETRACTED records were withdrawn by their owner and are no longer shared.",
});

export const CreditRecordRef = builder.objectRef<CreditRecord>("CreditRecord");

/** One answer for a record that is not there and one the caller may not know of, so the two cannot be told apart. */
const noCreditRecord = (id: unknown) => notFound(`No credit record ${String(id)}.`);

CreditRecordRef.implement({
  description:
    "A credit event an association recorded about one of its members. That a record exists, and its kind and dates, are SHARED; what it says is CONSENT data.",
  ...subjectOf<CreditRecord>((r) => ({ ownerId: r.ownerId, uscc: r.uscc }), {
    exists: "SHARED",
    notFound: (args) => noCreditRecord(args.id),
  }),
  fields: (t) => ({
    id: t.exposeID("id", classified("SHARED")),
    owner: t.field({
      type: OrganisationRef,
      description: "The association that keeps this record.",
      ...classified("SHARED"),
      resolve: (r) => ({ id: r.ownerId }),
    }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (r) => ({ uscc: r.uscc }) }),
    polarity: t.field({ type: PolarityEnum, ...classified("SHARED"), resolve: (r) => r.polarity }),
    category: t.field({ type: CreditCategoryEnum, ...classified("SHARED"), resolve: (r) => r.category }),
    occurredOn: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.occurredOn }),
    endedOn: t.field({
      type: "Date",
      nullable: true,
      description: "When the behaviour ended.",
      ...classified("SHARED"),
      resolve: (r) => r.endedOn,
    }),
    status: t.field({ type: RecordStatusEnum, ...classified("SHARED"), resolve: (r) => r.status }),
    disputed: t.exposeBoolean("disputed", {
      description: "True while the enterprise's objection to the record is open.",
      ...classified("SHARED"),
    }),
    statement: t.exposeString("statement", {
      nullable: true,
      description: "The enterprise's own explanation, shown with the record.",
      ...classified("SHARED"),
    }),
    statementAt: t.field({ type: "DateTime", nullable: true, ...classified("SHARED"), resolve: (r) => r.statementAt }),
    createdAt: t.field({ type: "DateTime", ...classified("SHARED"), resolve: (r) => r.createdAt }),
    updatedAt: t.field({ type: "DateTime", ...classified("SHARED"), resolve: (r) => r.updatedAt }),
    summary: t.exposeString("summary", classified("CONSENT")),
    source: t.exposeString("source", { description: "Where the information came from.", ...classified("CONSENT") }),
    evidenceRef: t.exposeString("evidenceRef", {
      nullable: true,
      description: "Reference to the supporting document.",
      ...classified("CONSENT"),
    }),
    version: t.exposeInt("version", { description: "Increases with every correction.", ...classified("INTERNAL") }),
  }),
});

const CreditRecordRevisionRef = builder.objectRef<CreditRecordRevision>("CreditRecordRevision").implement({
  description:
    "A record as it stood before one correction or retraction. Reachable only through CreditRecord.revisions (INTERNAL).",
  fields: (t) => ({
    version: t.exposeInt("version", { nullable: false }),
    previous: t.string({
      description: "The record's fields before the change, as JSON.",
      resolve: (r) => JSON.stringify(r.previous),
    }),
    reason: t.exposeString("reason"),
    changedAt: t.field({ type: "DateTime", resolve: (r) => r.changedAt }),
  }),
});

builder.objectField(CreditRecordRef, "revisions", (t) =>
  t.field({
    type: [CreditRecordRevisionRef],
    description: "The record's history of corrections, oldest first.",
    ...classified("INTERNAL"),
    resolve: (record, _args, { db }) =>
      db.creditRecordRevision.findMany({ where: { recordId: record.id }, orderBy: { version: "asc" } }),
  }),
);

builder.objectField(EnterpriseRef, "creditRecords", (t) =>
  t.field({
    type: [CreditRecordRef],
    description:
      "Credit records associations keep about the enterprise, newest first; each field shows as its class allows.",
    ...classified("PUBLIC"),
    args: {
      polarity: t.arg({ type: PolarityEnum }),
      includeRetracted: t.arg.boolean({ defaultValue: false }),
    },
    resolve: ({ uscc }, args, { db, caller, now, loaders }) =>
      requestLoader(
        loaders,
        `creditRecords:${args.polarity}:${args.includeRetracted}`,
        async (usccs: readonly string[]) => {
          const rows = await db.creditRecord.findMany({
            where: {
              uscc: { in: [...usccs] },
              // Past retention a negative record is no longer shared; only its owner still sees it until it is purged.
              AND: [
                caller.kind === "organisation"
                  ? { OR: [{ ownerId: caller.organisationId }, shareableNow(now())] }
                  : shareableNow(now()),
              ],
              ...(args.polarity ? { polarity: args.polarity } : {}),
              ...(args.includeRetracted ? {} : { status: "ACTIVE" }),
            },
            orderBy: [{ occurredOn: "desc" }, { createdAt: "desc" }],
          });
          return groupBy(usccs, rows, (r) => r.uscc);
        },
      ).load(uscc),
  }),
);

builder.queryFields((t) => ({
  creditRecord: t.field({
    type: CreditRecordRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { db, caller, now }) => {
      const record = await findRecord(db, String(id));
      const callerId = caller.kind === "organisation" ? caller.organisationId : null;
      if (!record || !shownDespiteRetention(record, callerId, now())) throw noCreditRecord(id);
      return record;
    },
  }),
}));

const RecordCreditEventInput = builder.inputType("RecordCreditEventInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    polarity: t.field({ type: PolarityEnum, required: true }),
    category: t.field({ type: CreditCategoryEnum, required: true }),
    summary: t.string({ required: true }),
    source: t.string({ required: true }),
    occurredOn: t.field({ type: "Date", required: true }),
    endedOn: t.field({ type: "Date" }),
    evidenceRef: t.string(),
  }),
});

/** What a correction may change; fields left out stay as they are. */
export const CreditRecordChangesInput = builder.inputType("CreditRecordChanges", {
  description: "The fields a correction changes; fields left out stay as they are.",
  fields: (t) => ({
    polarity: t.field({ type: PolarityEnum }),
    category: t.field({ type: CreditCategoryEnum }),
    summary: t.string(),
    source: t.string(),
    occurredOn: t.field({ type: "Date" }),
    endedOn: t.field({ type: "Date" }),
    evidenceRef: t.string(),
  }),
});

const CorrectCreditRecordInput = builder.inputType("CorrectCreditRecordInput", {
  description: "`reason` is kept with the record's history.",
  fields: (t) => ({
    id: t.id({ required: true }),
    reason: t.string({ required: true }),
    expectedVersion: t.int({ description: "If given, the correction fails when someone changed the record since." }),
    changes: t.field({ type: CreditRecordChangesInput, required: true }),
  }),
});

builder.mutationFields((t) => ({
  recordCreditEvent: t.field({
    type: CreditRecordRef,
    description:
      "Records a positive or negative credit event about a member (or former member) of the calling association.",
    args: { input: t.arg({ type: RecordCreditEventInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      requireKnownEnterprise({ known }, input.uscc);
      const data = {
        ownerId: association.organisationId,
        uscc: input.uscc,
        polarity: input.polarity,
        category: input.category,
        summary: requireText(input.summary, "summary"),
        source: requireText(input.source, "source", MAX_LABEL),
        occurredOn: input.occurredOn,
        endedOn: input.endedOn ?? null,
        evidenceRef: optionalText(input.evidenceRef, "evidenceRef", MAX_LABEL),
      };
      refuse(recordDatesProblem(data, now()));
      return db.$transaction(async (tx) => {
        const membership = await tx.membership.findUnique({
          where: { ownerId_uscc: { ownerId: association.organisationId, uscc: input.uscc } },
        });
        if (!membership) throw badInput(`${input.uscc} has never been a member of your association; admit it first.`);
        const record = await tx.creditRecord.create({ data });
        await recordChanges(tx, [record], "NEW", now());
        await audit.write(tx, [changeEntry(record, "CreditRecord", { recorded: record.id })], now());
        return record;
      });
    },
  }),
  correctCreditRecord: t.field({
    type: CreditRecordRef,
    description: "Corrects a record the calling association keeps. The previous version is kept with the reason.",
    args: { input: t.arg({ type: CorrectCreditRecordInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const association = requireOrganisation(context.caller);
      const reason = requireText(input.reason, "reason");
      const change = correction(checkedCorrection(input.changes), context.now());
      return reviseRecord(context, {
        owner: association,
        id: String(input.id),
        expectedVersion: input.expectedVersion ?? null,
        reason,
        change,
      });
    },
  }),
  retractCreditRecord: t.field({
    type: CreditRecordRef,
    description:
      "Withdraws a record the calling association keeps; it stays in the owner's history but is no longer shared.",
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => {
      const association = requireOrganisation(context.caller);
      const reason = requireText(args.reason, "reason");
      return reviseRecord(context, {
        owner: association,
        id: String(args.id),
        expectedVersion: null,
        reason,
        change: retraction,
      });
    },
  }),
}));

/** Records still shared: anything but a negative record whose behaviour ended more than five years ago. */
export function shareableNow(now: Date): Prisma.CreditRecordWhereInput {
  // Spelled out rather than NOT(...): a NULL endedOn would make the negation NULL and hide ongoing records.
  return { OR: [{ polarity: "POSITIVE" }, { endedOn: null }, { endedOn: { gt: retentionCutoff(now) } }] };
}

/** The same rule for a plain SQL read (`context.read`), its cutoff the `$n` given (a Date). */
export const shareableSql = (n: number) =>
  `(polarity = 'POSITIVE' OR "endedOn" IS NULL OR "endedOn" > $${n}::timestamptz)`;

/** A correction as asked for, its texts checked: the fields it changes (fields left out stay as they are). */
export function checkedCorrection(input: RecordChanges): RecordPatch {
  return accepted(
    correctionPatch({
      ...input,
      summary: input.summary != null ? requireText(input.summary, "summary") : input.summary,
      source: input.source != null ? requireText(input.source, "source", MAX_LABEL) : input.source,
      evidenceRef:
        input.evidenceRef !== undefined ? optionalText(input.evidenceRef, "evidenceRef", MAX_LABEL) : undefined,
    }),
  );
}

function findRecord(db: AssociationsContext["db"], id: string) {
  return isUuid(id) ? db.creditRecord.findUnique({ where: { id } }) : Promise.resolve(null);
}

type Tx = Parameters<Parameters<AssociationsContext["db"]["$transaction"]>[0]>[0];

/**
 * Applies a change to a record the caller owns, keeping the previous state as
 * a revision, in one transaction: the change and its history land together or
 * not at all. The revision's unique (record, version) makes a concurrent
 * second change of the same version fail instead of silently overwriting.
 */
export async function reviseRecord(
  context: Pick<AssociationsContext, "db" | "audit" | "now">,
  revision: Revision,
): Promise<CreditRecord> {
  try {
    return await context.db.$transaction((tx) => reviseRecordIn(tx, context, revision));
  } catch (error) {
    if (isUniqueViolation(error))
      throw badInput("The record was changed by someone else at the same time; reload it and try again.");
    throw error;
  }
}

/** One change to one record: who asks, which record, at which version (null: any), why, and what changes. */
export interface Revision {
  owner: OrganisationCaller;
  id: string;
  expectedVersion: number | null;
  reason: string;
  change: RecordChange;
}

/** reviseRecord inside a transaction the caller holds. */
export async function reviseRecordIn(
  tx: Tx,
  { audit, now }: Pick<AssociationsContext, "audit" | "now">,
  { owner, id, expectedVersion, reason, change }: Revision,
): Promise<CreditRecord> {
  const found = isUuid(id) ? await tx.creditRecord.findUnique({ where: { id } }) : null;
  const current = accepted(revisable(found, { id, ownerId: owner.organisationId, expectedVersion }));
  const data = accepted(change(current));
  const revision = revisionOf(current, reason, owner.organisationId);
  await tx.creditRecordRevision.create({
    data: { ...revision, previous: revision.previous as Prisma.InputJsonValue },
  });
  const updated = await tx.creditRecord.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
  await recordChanges(tx, [updated], revisionKind(updated), now());
  await audit.write(
    tx,
    [changeEntry(updated, "CreditRecord", { revised: id, version: updated.version, status: updated.status, reason })],
    now(),
  );
  return updated;
}
