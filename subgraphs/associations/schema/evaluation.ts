import type { Evaluation, EvaluationMethodology } from "../../../prisma/associations/generated/client.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, isUuid, MAX_LABEL, optionalText, quote, requireText } from "../../sdk/validation.ts";
import { type AssociationsContext, builder, EnterpriseRef, OrganisationRef } from "../owner.ts";
import {
  alreadyEvaluatedProblem,
  certificateNumberQuery,
  certificateOf,
  certificateYear,
  evaluationPrerequisitesProblem,
  evaluatorCodeProblem,
  type Indicator,
  type IndicatorScore,
  indicatorsProblem,
  methodologyFloors,
  methodologyUseProblem,
  nextVersion,
  scoreEvaluation,
  voidingProblem,
} from "../rules/evaluation.ts";
import {
  DEFAULT_GRADE_FLOORS,
  evaluationStatus,
  GRADE_CODES,
  GRADES,
  type Grade,
  type GradeFloors,
  tierOf,
  validityCutoff,
} from "../rules/grades.ts";
import { accepted, asError, refuse } from "./problems.ts";

/**
 * Credit evaluation: each association publishes a versioned methodology
 * (indicators, weights, the lowest score of each grade), and evaluates its
 * members under it. The result — grade, certificate, validity, issuer and the
 * methodology behind it — is public; the scores are SHARED. An enterprise
 * holds at most one valid evaluation across all associations.
 */

const GradeEnum = builder.enumType("EvaluationGrade", {
  values: GRADES,
  description: "Three tiers, nine grades: AAA AA A · BBB BB B · CCC CC C.",
});
const EvaluationStatusEnum = builder.enumType("EvaluationStatus", {
  values: ["VALID", "EXPIRED", "VOIDED"] as const,
});

const IndicatorRef = builder.objectRef<Indicator>("EvaluationIndicator").implement({
  fields: (t) => ({
    code: t.exposeString("code", { nullable: false }),
    name: t.exposeString("name", { nullable: false }),
    weight: t.exposeFloat("weight", {
      nullable: false,
      description: "Share of the total; a methodology's add up to 1.",
    }),
    description: t.exposeString("description", { nullable: true }),
  }),
});

const GradeFloorRef = builder.objectRef<{ grade: Grade; lowestScore: number }>("GradeFloor").implement({
  fields: (t) => ({
    grade: t.field({ type: GradeEnum, nullable: false, resolve: (f) => f.grade }),
    code: t.string({ nullable: false, resolve: (f) => GRADE_CODES[f.grade] }),
    tier: t.string({ nullable: false, resolve: (f) => tierOf(f.grade) }),
    lowestScore: t.exposeFloat("lowestScore", { nullable: false }),
  }),
});

const floorsOf = (m: EvaluationMethodology) => m.gradeFloors as unknown as GradeFloors;

export const MethodologyRef = builder.objectRef<EvaluationMethodology>("EvaluationMethodology").implement({
  description: "How an association evaluates its members: published, versioned, open to anyone.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    association: t.field({ type: OrganisationRef, nullable: false, resolve: (m) => ({ id: m.ownerId }) }),
    version: t.exposeInt("version", { nullable: false }),
    title: t.exposeString("title", { nullable: false }),
    indicators: t.field({
      type: [IndicatorRef],
      nullable: false,
      resolve: (m) => m.indicators as unknown as Indicator[],
    }),
    gradeFloors: t.field({
      type: [GradeFloorRef],
      nullable: false,
      description: "The lowest total score of each grade, AAA first.",
      resolve: (m) => GRADES.map((grade) => ({ grade, lowestScore: floorsOf(m)[grade] })),
    }),
    publishedAt: t.field({ type: "DateTime", nullable: false, resolve: (m) => m.publishedAt }),
  }),
});

const IndicatorScoreRef = builder.objectRef<IndicatorScore>("IndicatorScore").implement({
  fields: (t) => ({
    indicator: t.exposeString("indicator", { nullable: false }),
    score: t.exposeFloat("score", { nullable: false }),
  }),
});

export const EvaluationRef = builder.objectRef<Evaluation>("Evaluation").implement({
  description:
    "A member's credit evaluation. The result is public — grade, certificate, validity, issuer and methodology; the scores are SHARED.",
  ...subjectOf<Evaluation>((e) => ({ ownerId: e.ownerId, uscc: e.uscc }), { exists: "PUBLIC" }),
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false, ...classified("PUBLIC") }),
    association: t.field({ type: OrganisationRef, ...classified("PUBLIC"), resolve: (e) => ({ id: e.ownerId }) }),
    agency: t.field({
      type: OrganisationRef,
      nullable: true,
      description: "The third-party credit agency that evaluated with the association, if one did.",
      ...classified("PUBLIC"),
      resolve: (e) => (e.agencyId ? { id: e.agencyId } : null),
    }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (e) => ({ uscc: e.uscc }) }),
    methodology: t.field({
      type: MethodologyRef,
      ...classified("PUBLIC"),
      resolve: (e, _a, { db, loaders }) =>
        requestLoader(loaders, "methodologyById", async (ids: readonly string[]) => {
          const rows = await db.evaluationMethodology.findMany({ where: { id: { in: [...ids] } } });
          return ids.map((id) => rows.find((m) => m.id === id) as EvaluationMethodology);
        }).load(e.methodologyId),
    }),
    grade: t.field({ type: GradeEnum, ...classified("PUBLIC"), resolve: (e) => e.grade as Grade }),
    gradeCode: t.string({ ...classified("PUBLIC"), resolve: (e) => GRADE_CODES[e.grade as Grade] }),
    tier: t.string({ ...classified("PUBLIC"), resolve: (e) => tierOf(e.grade as Grade) }),
    certificateNumber: t.exposeString("certificateNumber", classified("PUBLIC")),
    issuedOn: t.field({ type: "Date", ...classified("PUBLIC"), resolve: (e) => e.issuedOn }),
    validUntil: t.field({
      type: "Date",
      description: "The last day it is valid.",
      ...classified("PUBLIC"),
      resolve: (e) => e.validUntil,
    }),
    status: t.field({
      type: EvaluationStatusEnum,
      ...classified("PUBLIC"),
      resolve: (e, _a, { now }) => evaluationStatus(e, now()),
    }),
    voidReason: t.exposeString("voidReason", { nullable: true, ...classified("PUBLIC") }),
    total: t.exposeFloat("total", { description: "The weighted total score, 0–100.", ...classified("SHARED") }),
    scores: t.field({
      type: [IndicatorScoreRef],
      ...classified("SHARED"),
      resolve: (e) => e.scores as unknown as IndicatorScore[],
    }),
  }),
});

/** Every evaluation of each enterprise, newest first; one query for the request. */
export function evaluationsOf({ read, loaders }: AssociationsContext, uscc: string): Promise<Evaluation[]> {
  return requestLoader(loaders, "evaluations", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await read<Evaluation>(
        `SELECT * FROM "Evaluation" WHERE uscc = ANY($1) ORDER BY "issuedOn" DESC, "createdAt" DESC`,
        [usccs],
      ),
      (e) => e.uscc,
    ),
  ).load(uscc);
}

/** The enterprise's valid evaluation, whichever association issued it. */
export async function validEvaluationOf(context: AssociationsContext, uscc: string): Promise<Evaluation | null> {
  const now = context.now();
  return (await evaluationsOf(context, uscc)).find((e) => evaluationStatus(e, now) === "VALID") ?? null;
}

builder.objectFields(EnterpriseRef, (t) => ({
  evaluation: t.field({
    type: EvaluationRef,
    nullable: true,
    description: "The enterprise's valid credit evaluation, if it has one (at most one, across all associations).",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _a, context) => validEvaluationOf(context, uscc),
  }),
  evaluations: t.field({
    type: [EvaluationRef],
    description: "Every evaluation of the enterprise, valid, expired or voided, newest first.",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _a, context) => evaluationsOf(context, uscc),
  }),
}));

builder.queryFields((t) => ({
  evaluationMethodologies: t.field({
    type: [MethodologyRef],
    description: "An association's published methodologies, newest version first. Open to anyone.",
    args: { associationId: t.arg.id({ required: true }) },
    resolve: (_root, { associationId }, { db }) => {
      const id = String(associationId);
      if (!isUuid(id)) throw badInput(`${id} is not an organisation id.`);
      return db.evaluationMethodology.findMany({ where: { ownerId: id }, orderBy: { version: "desc" } });
    },
  }),
  evaluationMethodology: t.field({
    type: MethodologyRef,
    description: "One published methodology. Open to anyone.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, { db }) => {
      const id = String(args.id);
      const found = isUuid(id) ? await db.evaluationMethodology.findUnique({ where: { id } }) : null;
      if (!found) throw notFound(`No evaluation methodology ${id}.`);
      return found;
    },
  }),
  evaluationByCertificate: t.field({
    type: EvaluationRef,
    description: "Looks an evaluation up by its 15-digit certificate number. Open to anyone.",
    args: { number: t.arg.string({ required: true }) },
    resolve: async (_root, { number }, { db }) => {
      const trimmed = accepted(certificateNumberQuery(number));
      const found = await db.evaluation.findUnique({ where: { certificateNumber: trimmed } });
      if (!found) throw notFound(`No evaluation with certificate number ${trimmed}.`);
      return found;
    },
  }),
}));

const IndicatorInput = builder.inputType("EvaluationIndicatorInput", {
  fields: (t) => ({
    code: t.string({ required: true }),
    name: t.string({ required: true }),
    weight: t.float({ required: true }),
    description: t.string(),
  }),
});
const GradeFloorInput = builder.inputType("GradeFloorInput", {
  fields: (t) => ({
    grade: t.field({ type: GradeEnum, required: true }),
    lowestScore: t.float({ required: true }),
  }),
});
const PublishMethodologyInput = builder.inputType("PublishEvaluationMethodologyInput", {
  fields: (t) => ({
    title: t.string({ required: true }),
    indicators: t.field({ type: [IndicatorInput], required: true }),
    gradeFloors: t.field({
      type: [GradeFloorInput],
      description: `Each grade's lowest total score; left out: ${GRADES.map((g) => `${g} ${DEFAULT_GRADE_FLOORS[g]}`).join(", ")}.`,
    }),
  }),
});
const ScoreInput = builder.inputType("IndicatorScoreInput", {
  fields: (t) => ({
    indicator: t.string({ required: true }),
    score: t.float({ required: true, description: "0–100." }),
  }),
});
const EvaluateMemberInput = builder.inputType("EvaluateMemberInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    methodologyId: t.id({ required: true }),
    scores: t.field({ type: [ScoreInput], required: true, description: "One score per indicator of the methodology." }),
    issuedOn: t.field({ type: "Date", required: true }),
    agencyId: t.id({
      description: "The third-party credit agency (an organisation of the hub) that evaluated, if any.",
    }),
  }),
});

/** The indicators as given, their texts checked, then the methodology's rules. */
function checkIndicators(indicators: { code: string; name: string; weight: number; description?: string | null }[]) {
  const checked = indicators.map((i) => ({
    code: requireText(i.code, "indicators.code", MAX_LABEL),
    name: requireText(i.name, "indicators.name", MAX_LABEL),
    weight: i.weight,
    description: optionalText(i.description, "indicators.description"),
  }));
  refuse(indicatorsProblem(checked));
  return checked;
}

builder.mutationFields((t) => ({
  assignEvaluatorCode: t.field({
    type: "String",
    description:
      "The hub's operator gives an association the three-digit code its certificate numbers carry. A code is never given twice.",
    args: { associationId: t.arg.id({ required: true }), code: t.arg.string({ required: true }) },
    resolve: async (_root, args, { db, now }) => {
      const ownerId = String(args.associationId);
      if (!isUuid(ownerId)) throw badInput(`${quote(ownerId)} is not an organisation id.`);
      refuse(evaluatorCodeProblem(args.code));
      refuse(evaluatorCodeProblem(args.code, await db.evaluatorCode.findUnique({ where: { ownerId } })));
      try {
        await db.evaluatorCode.create({ data: { ownerId, code: args.code, assignedAt: now() } });
      } catch (error) {
        if (isUniqueViolation(error))
          throw badInput(`Evaluator code ${args.code} is already given to another association.`);
        throw error;
      }
      return args.code;
    },
  }),
  publishEvaluationMethodology: t.field({
    type: MethodologyRef,
    description: "The calling association publishes the next version of its evaluation methodology.",
    args: { input: t.arg({ type: PublishMethodologyInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now }) => {
      const association = requireOrganisation(caller);
      const title = requireText(input.title, "title", MAX_LABEL);
      const indicators = checkIndicators(input.indicators);
      const floors = accepted(methodologyFloors(input.gradeFloors));
      const publish = () =>
        db.$transaction(async (tx) => {
          const last = await tx.evaluationMethodology.findFirst({
            where: { ownerId: association.organisationId },
            orderBy: { version: "desc" },
            select: { version: true },
          });
          return tx.evaluationMethodology.create({
            data: {
              ownerId: association.organisationId,
              version: nextVersion(last),
              title,
              indicators,
              gradeFloors: floors,
              publishedAt: now(),
            },
          });
        });
      // Two versions published at once: the (association, version) key lets one through; the other takes the next number.
      return publish().catch((error) => (isUniqueViolation(error) ? publish() : Promise.reject(error)));
    },
  }),
  evaluateMember: t.field({
    type: EvaluationRef,
    description:
      "The calling association evaluates one of its members under one of its methodologies: the grade follows from the scores, the certificate number is assigned, valid for three years. Fails, naming the existing one, if the enterprise already holds a valid evaluation from any association.",
    args: { input: t.arg({ type: EvaluateMemberInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      const ownerId = association.organisationId;
      requireKnownEnterprise({ known }, input.uscc);
      assertNotFuture(input.issuedOn, now(), "issuedOn");
      const methodologyId = String(input.methodologyId);
      const methodology = isUuid(methodologyId)
        ? await db.evaluationMethodology.findUnique({ where: { id: methodologyId } })
        : null;
      if (!methodology) throw notFound(`No evaluation methodology ${quote(methodologyId)}.`);
      refuse(methodologyUseProblem(methodology, ownerId));
      const agencyId = input.agencyId == null ? null : String(input.agencyId);
      if (agencyId !== null && !isUuid(agencyId))
        throw badInput(`agencyId ${quote(agencyId)} is not an organisation id.`);

      const scored = accepted(
        scoreEvaluation(
          {
            version: methodology.version,
            indicators: methodology.indicators as unknown as Indicator[],
            floors: floorsOf(methodology),
          },
          input.scores,
        ),
      );
      const { grade } = scored;

      const [membership, code] = await Promise.all([
        db.membership.findUnique({ where: { ownerId_uscc: { ownerId, uscc: input.uscc } } }),
        db.evaluatorCode.findUnique({ where: { ownerId } }),
      ]);
      refuse(evaluationPrerequisitesProblem(input.uscc, membership, code?.code ?? null));
      const evaluatorCode = code?.code ?? "";

      const today = now();
      try {
        return await db.$transaction(async (tx) => {
          // Valid ones past their last day stop blocking: mark them, so the one-valid index sees the truth.
          await tx.evaluation.updateMany({
            where: { uscc: input.uscc, status: "VALID", validUntil: { lt: validityCutoff(today) } },
            data: { status: "EXPIRED" },
          });
          const existing = await tx.evaluation.findFirst({ where: { uscc: input.uscc, status: "VALID" } });
          if (existing) throw asError(alreadyEvaluatedProblem(existing));
          const year = certificateYear(input.issuedOn);
          const serial = await tx.certificateSerial.upsert({
            where: { ownerId_year: { ownerId, year } },
            create: { ownerId, year, last: 1 },
            update: { last: { increment: 1 } },
          });
          const evaluation = await tx.evaluation.create({
            data: {
              ownerId,
              uscc: input.uscc,
              methodologyId,
              scores: scored.scores,
              total: scored.total,
              grade,
              ...certificateOf(input.issuedOn, evaluatorCode, grade, serial.last),
              agencyId,
            },
          });
          await audit.write(
            tx,
            [
              changeEntry(evaluation, "Evaluation", {
                evaluated: evaluation.id,
                grade,
                certificate: evaluation.certificateNumber,
              }),
            ],
            today,
          );
          return evaluation;
        });
      } catch (error) {
        // Another association's evaluation committed first: the partial unique index refused this one.
        if (!isUniqueViolation(error)) throw error;
        const winner = await db.evaluation.findFirst({ where: { uscc: input.uscc, status: "VALID" } });
        throw winner ? asError(alreadyEvaluatedProblem(winner)) : error;
      }
    },
  }),
  voidEvaluation: t.field({
    type: EvaluationRef,
    description: "The association that issued an evaluation voids it, saying why.",
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_root, args, { caller, db, now, audit }) => {
      const association = requireOrganisation(caller);
      const reason = requireText(args.reason, "reason");
      const id = String(args.id);
      return db.$transaction(async (tx) => {
        const found = isUuid(id) ? await tx.evaluation.findUnique({ where: { id } }) : null;
        if (!found) throw notFound(`No evaluation ${quote(id)}.`);
        refuse(voidingProblem(found, association.organisationId));
        const voided = await tx.evaluation.update({
          where: { id },
          data: { status: "VOIDED", voidedAt: now(), voidReason: reason },
        });
        await audit.write(tx, [changeEntry(voided, "Evaluation", { voided: id, reason })], now());
        return voided;
      });
    },
  }),
}));
