import type { Convention, Sanction } from "../../../prisma/associations/generated/client.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { classified, classifiedByRow, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, isUuid, MAX_LABEL, optionalText, quote, requireText } from "../../sdk/validation.ts";
import { recordChanges } from "../feed.ts";
import { type AssociationsContext, builder, EnterpriseRef, OrganisationRef } from "../owner.ts";
import { retraction } from "../rules/revisions.ts";
import {
  endingProblem,
  imposition,
  jointPunishmentRecord,
  LEVEL_NAMES,
  LEVEL_RULE,
  retractionReasonFor,
  revokedMembership,
  SANCTION_LEVELS,
  sanctionClass,
  sanctionEffects,
  voidReasonFor,
} from "../rules/sanctions.ts";
import { CreditRecordRef, reviseRecordIn } from "./credit-record.ts";
import { accepted, refuse } from "./problems.ts";

/**
 * Self-discipline: each association's versioned convention, and the sanctions
 * it imposes under it, in rising order. From public condemnation up a
 * sanction is public, voids the enterprise's valid evaluation, and is shared
 * onward as a negative credit record — so bureaus and regulators holding a
 * grant get it in their feed and in standing checks with no re-entry (joint
 * punishment); its withdrawal or repair retracts that record the same way.
 */

type Tx = Parameters<Parameters<AssociationsContext["db"]["$transaction"]>[0]>[0];

const byLevel = classifiedByRow<Sanction>(sanctionClass, LEVEL_RULE);

const SanctionLevelEnum = builder.enumType("SanctionLevel", {
  values: SANCTION_LEVELS,
  description:
    "In rising order: warning, industry-wide notice of criticism, public condemnation, membership revoked, reported to authorities.",
});
const SanctionStatusEnum = builder.enumType("SanctionStatus", { values: ["ACTIVE", "WITHDRAWN", "REPAIRED"] as const });

export const ConventionRef = builder.objectRef<Convention>("Convention").implement({
  description: "An association's self-discipline convention (自律公约), versioned. Published: open to anyone.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    association: t.field({ type: OrganisationRef, nullable: false, resolve: (c) => ({ id: c.ownerId }) }),
    version: t.exposeInt("version", { nullable: false }),
    title: t.exposeString("title", { nullable: false }),
    text: t.exposeString("text", { nullable: false }),
    adoptedOn: t.field({ type: "Date", nullable: false, resolve: (c) => c.adoptedOn }),
    publishedAt: t.field({ type: "DateTime", nullable: false, resolve: (c) => c.publishedAt }),
  }),
});

export const SanctionRef = builder.objectRef<Sanction>("Sanction").implement({
  description:
    "A sanction an association imposed on a member under its convention. Public from public condemnation up; an industry-wide notice is SHARED; a warning is between the association and its member.",
  ...subjectOf<Sanction>((s) => ({ ownerId: s.ownerId, uscc: s.uscc }), { exists: sanctionClass, rule: LEVEL_RULE }),
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false, ...byLevel }),
    association: t.field({ type: OrganisationRef, ...byLevel, resolve: (s) => ({ id: s.ownerId }) }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (s) => ({ uscc: s.uscc }) }),
    level: t.field({ type: SanctionLevelEnum, ...byLevel, resolve: (s) => s.level }),
    levelName: t.string({
      description: "The level's name, in Chinese.",
      ...byLevel,
      resolve: (s) => LEVEL_NAMES[s.level],
    }),
    convention: t.field({
      type: ConventionRef,
      ...byLevel,
      resolve: (s, _a, { db, loaders }) =>
        requestLoader(loaders, "conventionById", async (ids: readonly string[]) => {
          const rows = await db.convention.findMany({ where: { id: { in: [...ids] } } });
          return ids.map((id) => rows.find((c) => c.id === id) as Convention);
        }).load(s.conventionId),
    }),
    clause: t.exposeString("clause", { nullable: true, description: "The convention clause breached.", ...byLevel }),
    reason: t.exposeString("reason", byLevel),
    decidedOn: t.field({ type: "Date", ...byLevel, resolve: (s) => s.decidedOn }),
    status: t.field({ type: SanctionStatusEnum, ...byLevel, resolve: (s) => s.status }),
    endedOn: t.field({ type: "Date", nullable: true, ...byLevel, resolve: (s) => s.endedOn }),
    endReason: t.exposeString("endReason", { nullable: true, ...byLevel }),
    sharedRecord: t.field({
      type: CreditRecordRef,
      nullable: true,
      description: "The negative credit record through which the sanction is shared onward (joint punishment).",
      ...byLevel,
      resolve: (s, _a, { db }) => (s.recordId ? db.creditRecord.findUnique({ where: { id: s.recordId } }) : null),
    }),
  }),
});

/** Every sanction of each enterprise, newest first; one query for the request. */
export function sanctionsOf({ read, loaders }: AssociationsContext, uscc: string): Promise<Sanction[]> {
  return requestLoader(loaders, "sanctions", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await read<Sanction>(
        `SELECT * FROM "Sanction" WHERE uscc = ANY($1) ORDER BY "decidedOn" DESC, "createdAt" DESC`,
        [usccs],
      ),
      (s) => s.uscc,
    ),
  ).load(uscc);
}

builder.objectField(EnterpriseRef, "sanctions", (t) =>
  t.field({
    type: [SanctionRef],
    description:
      "Sanctions associations imposed on the enterprise, newest first: those from public condemnation up for anyone, the others only for whom they concern (a warning's existence is not shown to others).",
    ...classified("PUBLIC"),
    args: { activeOnly: t.arg.boolean({ defaultValue: true }) },
    resolve: async ({ uscc }, { activeOnly }, context) =>
      (await sanctionsOf(context, uscc)).filter((s) => !activeOnly || s.status === "ACTIVE"),
  }),
);

builder.queryField("conventions", (t) =>
  t.field({
    type: [ConventionRef],
    description: "An association's self-discipline conventions, newest version first. Open to anyone.",
    args: { associationId: t.arg.id({ required: true }) },
    resolve: (_root, { associationId }, { db }) => {
      const id = String(associationId);
      if (!isUuid(id)) throw badInput(`${id} is not an organisation id.`);
      return db.convention.findMany({ where: { ownerId: id }, orderBy: { version: "desc" } });
    },
  }),
);

const PublishConventionInput = builder.inputType("PublishConventionInput", {
  fields: (t) => ({
    title: t.string({ required: true }),
    text: t.string({ required: true }),
    adoptedOn: t.field({ type: "Date", required: true, description: "The day the members' assembly adopted it." }),
  }),
});
const ImposeSanctionInput = builder.inputType("ImposeSanctionInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    level: t.field({ type: SanctionLevelEnum, required: true }),
    reason: t.string({ required: true }),
    decidedOn: t.field({ type: "Date", required: true }),
    clause: t.string({ description: "The clause of the convention breached." }),
    conventionId: t.id({ description: "The convention version applied; your latest when left out." }),
  }),
});
const EndSanctionInput = builder.inputType("EndSanctionInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    outcome: t.field({
      type: builder.enumType("SanctionEnd", {
        values: ["WITHDRAWN", "REPAIRED"] as const,
        description: "WITHDRAWN: it should not have been imposed. REPAIRED: the member has repaired its credit.",
      }),
      required: true,
    }),
    reason: t.string({ required: true }),
    endedOn: t.field({ type: "Date", required: true }),
  }),
});

/** Joint punishment: the sanction becomes a shared negative record, in the feed, and voids the valid evaluation. */
async function shareOnward(tx: Tx, sanction: Sanction, convention: Convention, now: Date) {
  const record = await tx.creditRecord.create({ data: jointPunishmentRecord(sanction, convention) });
  await recordChanges(tx, [record], "NEW", now);
  const voided = await tx.evaluation.findMany({ where: { uscc: sanction.uscc, status: "VALID" } });
  if (voided.length)
    await tx.evaluation.updateMany({
      where: { id: { in: voided.map((e) => e.id) } },
      data: {
        status: "VOIDED",
        voidedAt: now,
        voidReason: voidReasonFor(sanction),
        voidingSanctionId: sanction.id,
      },
    });
  return {
    record,
    entries: [
      changeEntry(record, "CreditRecord", { recorded: record.id, sanction: sanction.id }),
      ...voided.map((e) => changeEntry(e, "Evaluation", { voided: e.id, sanction: sanction.id })),
    ],
  };
}

builder.mutationFields((t) => ({
  publishConvention: t.field({
    type: ConventionRef,
    description: "The calling association publishes the next version of its self-discipline convention.",
    args: { input: t.arg({ type: PublishConventionInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now }) => {
      const association = requireOrganisation(caller);
      assertNotFuture(input.adoptedOn, now(), "adoptedOn");
      const data = { title: requireText(input.title, "title", MAX_LABEL), text: requireText(input.text, "text") };
      return db.$transaction(async (tx) => {
        const last = await tx.convention.findFirst({
          where: { ownerId: association.organisationId },
          orderBy: { version: "desc" },
          select: { version: true },
        });
        return tx.convention.create({
          data: {
            ...data,
            ownerId: association.organisationId,
            version: (last?.version ?? 0) + 1,
            adoptedOn: input.adoptedOn,
            publishedAt: now(),
          },
        });
      });
    },
  }),
  imposeSanction: t.field({
    type: SanctionRef,
    description:
      "The calling association sanctions a member under its convention. From public condemnation up the sanction is public, voids the enterprise's valid evaluation and reaches bureaus and regulators holding a grant as a negative credit record; membership revoked also ends the membership.",
    args: { input: t.arg({ type: ImposeSanctionInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      const ownerId = association.organisationId;
      requireKnownEnterprise({ known }, input.uscc);
      const reason = requireText(input.reason, "reason");
      const clause = optionalText(input.clause, "clause", MAX_LABEL);
      assertNotFuture(input.decidedOn, now(), "decidedOn");
      const conventionId = input.conventionId == null ? null : String(input.conventionId);
      if (conventionId !== null && !isUuid(conventionId))
        throw badInput(`${quote(conventionId)} is not a convention id.`);
      return db.$transaction(async (tx) => {
        const convention = conventionId
          ? await tx.convention.findUnique({ where: { id: conventionId } })
          : await tx.convention.findFirst({ where: { ownerId }, orderBy: { version: "desc" } });
        const membership = convention
          ? await tx.membership.findUnique({ where: { ownerId_uscc: { ownerId, uscc: input.uscc } } })
          : null;
        const applied = accepted(imposition({ ownerId, uscc: input.uscc, conventionId, convention, membership }));
        const created = await tx.sanction.create({
          data: {
            ownerId,
            uscc: input.uscc,
            level: input.level,
            conventionId: applied.convention.id,
            clause,
            reason,
            decidedOn: input.decidedOn,
          },
        });
        const entries = [changeEntry(created, "Sanction", { imposed: created.id, level: created.level })];
        let sanction = created;
        const effects = sanctionEffects(created.level);
        if (effects.sharedOnward) {
          const onward = await shareOnward(tx, created, applied.convention, now());
          sanction = await tx.sanction.update({ where: { id: created.id }, data: { recordId: onward.record.id } });
          entries.push(...onward.entries);
        }
        if (effects.endsMembership) {
          const ended = await tx.membership.update({
            where: { id: applied.membership.id },
            data: revokedMembership(input.decidedOn, reason),
          });
          entries.push(changeEntry(ended, "Membership", { ended: ended.id, sanction: created.id }));
        }
        await audit.write(tx, entries, now());
        return sanction;
      });
    },
  }),
  endSanction: t.field({
    type: SanctionRef,
    description:
      "The association that imposed a sanction withdraws it, or records the member's credit repair. A sanction shared onward is retracted the same way it was shared: the negative record is retracted, in the bureaus' feed. (A voided evaluation or ended membership is not restored.)",
    args: { input: t.arg({ type: EndSanctionInput, required: true }) },
    resolve: (_root, { input }, context) => {
      const association = requireOrganisation(context.caller);
      const reason = requireText(input.reason, "reason");
      const { db, now, audit } = context;
      assertNotFuture(input.endedOn, now(), "endedOn");
      return db.$transaction(async (tx) => {
        const id = String(input.id);
        const current = isUuid(id) ? await tx.sanction.findUnique({ where: { id } }) : null;
        if (!current) throw notFound(`No sanction ${quote(id)}.`);
        refuse(endingProblem(current, association.organisationId, input.endedOn));
        const ended = await tx.sanction.update({
          where: { id: current.id },
          data: { status: input.outcome, endedOn: input.endedOn, endReason: reason },
        });
        if (current.recordId) {
          const record = await tx.creditRecord.findUnique({ where: { id: current.recordId } });
          if (record && record.status !== "RETRACTED")
            await reviseRecordIn(tx, context, {
              owner: association,
              id: record.id,
              expectedVersion: null,
              reason: retractionReasonFor(input.outcome, reason),
              change: retraction,
            });
        }
        await audit.write(
          tx,
          [changeEntry(ended, "Sanction", { ended: ended.id, outcome: input.outcome, reason })],
          now(),
        );
        return ended;
      });
    },
  }),
}));
