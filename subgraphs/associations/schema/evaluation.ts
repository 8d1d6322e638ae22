import type { Evaluation, EvaluationMethodology } from "../../../prisma/associations/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, isoDate, isUuid, MAX_LABEL, optionalText, quote, requireText } from "../../sdk/validation.ts";
import { type AssociationsContext, builder } from "../builder.ts";
import {
  certificateNumber,
  DEFAULT_GRADE_FLOORS,
  GRADE_CODES,
  GRADES,
  type Grade,
  type GradeFloors,
  gradeFloorsProblem,
  gradeFor,
  stillValid,
  tierOf,
  validUntil,
} from "../grades.ts";
import { EnterpriseRef, OrganisationRef } from "./enterprise.ts";

/**
 * Credit evaluation: each association publishes a versioned methodology
 * (indicators, weights, the lowest score of each grade), and evaluates its
 * members under it. The result — grade, certificate, validity, issuer and the
 * methodology behind it — is public; the scores are SHARED. An enterprise
 * holds at most one valid evaluation across all associations.
 */

interface Indicator {
  code: string;
  name: string;
  weight: number;
  description: string | null;
}
interface IndicatorScore {
  indicator: string;
  score: number;
}

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

/** The status as of now: a VALID row past its last day is EXPIRED, whether or not a write has marked it yet. */
export function currentStatus(e: Evaluation, now: Date): "VALID" | "EXPIRED" | "VOIDED" {
  if (e.status === "VALID" && !stillValid(e.validUntil, now)) return "EXPIRED";
  return e.status;
}

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
      resolve: (e, _a, { now }) => currentStatus(e, now()),
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
export function evaluationsOf({ db, loaders }: AssociationsContext, uscc: string): Promise<Evaluation[]> {
  return requestLoader(loaders, "evaluations", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await db.evaluation.findMany({
        where: { uscc: { in: [...usccs] } },
        orderBy: [{ issuedOn: "desc" }, { createdAt: "desc" }],
      }),
      (e) => e.uscc,
    ),
  ).load(uscc);
}

/** The enterprise's valid evaluation, whichever association issued it. */
export async function validEvaluationOf(context: AssociationsContext, uscc: string): Promise<Evaluation | null> {
  const now = context.now();
  return (await evaluationsOf(context, uscc)).find((e) => currentStatus(e, now) === "VALID") ?? null;
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
      const trimmed = number.trim();
      if (!/^\d{15}$/.test(trimmed))
        throw badInput(`A certificate number has 15 digits; got ${JSON.stringify(number)}.`);
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

/** More indicators than anyone weighs by hand; bounds what one publication stores. */
const MAX_INDICATORS = 100;

function checkIndicators(indicators: { code: string; name: string; weight: number; description?: string | null }[]) {
  if (indicators.length === 0) throw badInput("A methodology needs at least one indicator.");
  if (indicators.length > MAX_INDICATORS)
    throw badInput(`A methodology has at most ${MAX_INDICATORS} indicators; got ${indicators.length}.`);
  const codes = indicators.map((i) => requireText(i.code, "indicators.code", MAX_LABEL));
  const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (repeated.length) throw badInput(`Indicator codes must differ; repeated: ${[...new Set(repeated)].join(", ")}.`);
  const bad = indicators.filter((i) => !(i.weight > 0 && i.weight <= 1));
  if (bad.length)
    throw badInput(
      `Each weight must be above 0 and at most 1; not so for ${bad.map((i) => quote(i.code.trim())).join(", ")}.`,
    );
  const sum = indicators.reduce((n, i) => n + i.weight, 0);
  if (Math.abs(sum - 1) > 1e-6)
    throw badInput(`The weights must add up to 1; they add up to ${Number(sum.toFixed(6))}.`);
  return indicators.map((i, k) => ({
    code: codes[k] as string,
    name: requireText(i.name, "indicators.name", MAX_LABEL),
    weight: i.weight,
    description: optionalText(i.description, "indicators.description"),
  }));
}

/** The error an association gets when the enterprise already holds a valid evaluation: it names that one. */
function alreadyEvaluated(existing: Evaluation): Error {
  return badInput(
    `${existing.uscc} already holds a valid evaluation: certificate ${existing.certificateNumber} (grade ${existing.grade}) issued by association ${existing.ownerId}, valid until ${isoDate(existing.validUntil)}. An enterprise holds at most one valid evaluation across all associations.`,
    { existingCertificate: existing.certificateNumber, existingAssociation: existing.ownerId },
  );
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
      if (!/^\d{3}$/.test(args.code)) throw badInput(`An evaluator code is three digits; got ${quote(args.code)}.`);
      const current = await db.evaluatorCode.findUnique({ where: { ownerId } });
      if (current) throw badInput(`This association already has evaluator code ${current.code}.`);
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
      const floors: Record<string, number> = input.gradeFloors
        ? Object.fromEntries(input.gradeFloors.map((f) => [f.grade, f.lowestScore]))
        : { ...DEFAULT_GRADE_FLOORS };
      const problem = gradeFloorsProblem(floors);
      if (problem) throw badInput(problem);
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
              version: (last?.version ?? 0) + 1,
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
      if (methodology.ownerId !== ownerId)
        throw forbidden("Evaluate under one of your own association's methodologies.");
      const agencyId = input.agencyId == null ? null : String(input.agencyId);
      if (agencyId !== null && !isUuid(agencyId))
        throw badInput(`agencyId ${quote(agencyId)} is not an organisation id.`);

      const indicators = methodology.indicators as unknown as Indicator[];
      const given = new Map<string, number>();
      for (const s of input.scores) {
        if (given.has(s.indicator)) throw badInput(`Indicator ${quote(s.indicator)} is scored twice.`);
        if (!(s.score >= 0 && s.score <= 100))
          throw badInput(`The score of ${quote(s.indicator)} must be 0–100; got ${s.score}.`);
        given.set(s.indicator, s.score);
      }
      const unknown = [...given.keys()].filter((code) => !indicators.some((i) => i.code === code));
      if (unknown.length)
        throw badInput(
          `Methodology v${methodology.version} has no indicator ${unknown.map((u) => quote(u)).join(", ")}.`,
        );
      const missing = indicators.filter((i) => !given.has(i.code)).map((i) => i.code);
      if (missing.length) throw badInput(`Score every indicator; missing ${missing.join(", ")}.`);
      const total = Math.round(indicators.reduce((n, i) => n + i.weight * (given.get(i.code) ?? 0), 0) * 100) / 100;
      const grade = gradeFor(total, floorsOf(methodology));

      const [membership, code] = await Promise.all([
        db.membership.findUnique({ where: { ownerId_uscc: { ownerId, uscc: input.uscc } } }),
        db.evaluatorCode.findUnique({ where: { ownerId } }),
      ]);
      if (membership?.status !== "ACTIVE") throw badInput(`${input.uscc} is not an active member of your association.`);
      if (!code) throw badInput("Your association has no evaluator code yet: ask the hub's operator to assign one.");

      const today = now();
      try {
        return await db.$transaction(async (tx) => {
          // Valid ones past their last day stop blocking: mark them, so the one-valid index sees the truth.
          await tx.evaluation.updateMany({
            where: { uscc: input.uscc, status: "VALID", validUntil: { lt: new Date(isoDate(today)) } },
            data: { status: "EXPIRED" },
          });
          const existing = await tx.evaluation.findFirst({ where: { uscc: input.uscc, status: "VALID" } });
          if (existing) throw alreadyEvaluated(existing);
          const year = input.issuedOn.getUTCFullYear();
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
              scores: indicators.map((i) => ({ indicator: i.code, score: given.get(i.code) ?? 0 })),
              total,
              grade,
              certificateNumber: certificateNumber(year, code.code, grade, serial.last),
              agencyId,
              issuedOn: input.issuedOn,
              validUntil: validUntil(input.issuedOn),
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
        throw winner ? alreadyEvaluated(winner) : error;
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
        if (found.ownerId !== association.organisationId)
          throw forbidden("Only the association that issued an evaluation can void it.");
        if (found.status === "VOIDED") throw badInput("This evaluation is already void.");
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
