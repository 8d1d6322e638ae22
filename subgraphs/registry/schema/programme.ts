import type { Programme } from "../../../prisma/registry/generated/client.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { requestLoader } from "../../sdk/loaders.ts";
import { isUuid } from "../../sdk/validation.ts";
import { registryEntry } from "../audit.ts";
import { builder, type RegistryContext } from "../owner.ts";
import {
  CRITERION_KIND_DOCS,
  CRITERION_KINDS,
  type Criterion,
  describeCriterion,
  MAX_CRITERIA,
  parseCriteria,
} from "../rules/programmes.ts";
import { checkedText } from "../text.ts";

/**
 * A bank's preferential programmes (一(三): members in good standing get
 * preferential terms): kept by the registry for the bank that defines them,
 * weighed in every standing check that bank makes (`Standing.programmes`).
 */

const CriterionKind = builder.enumType("ProgrammeCriterionKind", {
  values: Object.fromEntries(
    CRITERION_KINDS.map((kind) => [kind, { description: CRITERION_KIND_DOCS[kind] }]),
  ) as Record<Criterion["kind"], { description: string }>,
});

const CriterionRef = builder.objectRef<Criterion>("ProgrammeCriterion").implement({
  description: "One condition of a programme.",
  fields: (t) => ({
    kind: t.field({ type: CriterionKind, resolve: (c) => c.kind }),
    grade: t.string({ nullable: true, resolve: (c) => ("grade" in c ? c.grade : null) }),
    level: t.string({ nullable: true, resolve: (c) => ("level" in c ? c.level : null) }),
    withinYears: t.int({ nullable: true, resolve: (c) => ("withinYears" in c ? c.withinYears : null) }),
    ratio: t.float({ nullable: true, resolve: (c) => ("ratio" in c ? c.ratio : null) }),
    description: t.string({ description: "In Chinese.", resolve: (c) => describeCriterion(c).zh }),
    descriptionEn: t.string({ resolve: (c) => describeCriterion(c).en }),
  }),
});

export const ProgrammeRef = builder.objectRef<Programme>("Programme").implement({
  description: "A bank's preferential programme, seen by the bank that defined it.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    criteria: t.field({ type: [CriterionRef], resolve: (p) => criteriaOf(p) }),
    createdAt: t.field({ type: "DateTime", resolve: (p) => p.createdAt }),
    retiredAt: t.field({ type: "DateTime", nullable: true, resolve: (p) => p.retiredAt }),
  }),
});

/** Stored criteria were validated on the way in. */
export const criteriaOf = (p: Programme): Criterion[] => p.criteria as unknown as Criterion[];

const CriterionInput = builder.inputType("ProgrammeCriterionInput", {
  description: "One condition: its kind, and the one or two values that kind takes (the others left out).",
  fields: (t) => ({
    kind: t.field({ type: CriterionKind, required: true }),
    grade: t.string({ description: "GRADE_AT_LEAST: the lowest grade accepted (AAA … C)." }),
    level: t.string({
      description: "NO_SANCTION_AT_LEAST: the lowest sanction level that disqualifies (from NOTICE_OF_CRITICISM).",
    }),
    withinYears: t.int({ description: "NO_SANCTION_AT_LEAST: how many years back (1–10)." }),
    ratio: t.float({ description: "ON_TIME_RATIO_AT_LEAST: the lowest share of payments on time (0–1)." }),
  }),
});

const DefineProgrammeInput = builder.inputType("DefineProgrammeInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    criteria: t.field({ type: [CriterionInput], required: true }),
  }),
});

/** The calling bank's live programmes, oldest first: what its standing checks weigh. */
export function liveProgrammes({ caller, db, loaders }: RegistryContext): Promise<Programme[]> {
  const org = requireOrganisation(caller);
  // Once per request, however many standings it weighs them for.
  return requestLoader(loaders, "programmes", (owners: readonly string[]) =>
    Promise.all(
      owners.map((ownerId) =>
        db.programme.findMany({ where: { ownerId, retiredAt: null }, orderBy: { createdAt: "asc" } }),
      ),
    ),
  ).load(org.organisationId);
}

builder.queryFields((t) => ({
  programmes: t.field({
    type: [ProgrammeRef],
    description: "Your organisation's preferential programmes; retired ones too when asked.",
    args: { retired: t.arg.boolean({ required: false }) },
    resolve: async (_r, { retired }, ctx) => {
      const org = requireOrganisation(ctx.caller);
      return ctx.db.programme.findMany({
        where: { ownerId: org.organisationId, ...(retired ? {} : { retiredAt: null }) },
        orderBy: { createdAt: "asc" },
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  defineProgramme: t.field({
    type: ProgrammeRef,
    description: `A bank defines a preferential programme: up to ${MAX_CRITERIA} criteria, all of which an enterprise must meet. Its standing checks then answer, per programme, eligible or not and why.`,
    args: { input: t.arg({ type: DefineProgrammeInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const org = requireOrganisation(ctx.caller);
      const name = checkedText(input.name, "name", "label");
      const description = input.description ? checkedText(input.description, "description", "reason") : "";
      const parsed = parseCriteria(input.criteria as Record<string, unknown>[]);
      if ("problem" in parsed)
        throw badInput(`方案条件有误 / The programme's criteria are not valid: ${parsed.problem}`);
      const clash = await ctx.db.programme.findFirst({ where: { ownerId: org.organisationId, name } });
      if (clash) throw badInput(`已有同名方案 / You already have a programme named ${name}.`);
      return ctx.db.$transaction(async (tx) => {
        const created = await tx.programme.create({
          data: { ownerId: org.organisationId, name, description, criteria: parsed.criteria },
        });
        await ctx.audit.write(
          tx,
          [
            registryEntry(
              "PROGRAMME_DEFINED",
              { organisationId: org.organisationId },
              { programmeId: created.id, name },
            ),
          ],
          ctx.now(),
        );
        return created;
      });
    },
  }),
  retireProgramme: t.field({
    type: ProgrammeRef,
    description: "Ends one of your programmes: standing checks no longer weigh it.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      const org = requireOrganisation(ctx.caller);
      const programme = isUuid(String(id))
        ? await ctx.db.programme.findFirst({ where: { id: String(id), ownerId: org.organisationId } })
        : null;
      if (!programme) throw notFound(`您没有此方案 / You have no programme ${String(id).slice(0, 40)}.`);
      if (programme.retiredAt) return programme;
      return ctx.db.$transaction(async (tx) => {
        const retired = await tx.programme.update({ where: { id: programme.id }, data: { retiredAt: ctx.now() } });
        await ctx.audit.write(
          tx,
          [registryEntry("PROGRAMME_RETIRED", { organisationId: org.organisationId }, { programmeId: programme.id })],
          ctx.now(),
        );
        return retired;
      });
    },
  }),
}));
