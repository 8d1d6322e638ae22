import type { Enterprise } from "../../../prisma/registry/generated/client.ts";
import { requireOrganisation } from "../../kit/context.ts";
import { isUniqueViolation } from "../../kit/database.ts";
import { badInput, forbidden, notFound } from "../../kit/errors.ts";
import { hasRole } from "../../kit/identity.ts";
import { builder } from "../builder.ts";

export const EnterpriseRef = builder.objectRef<Enterprise>("Enterprise");

EnterpriseRef.implement({
  description:
    "An enterprise, the subject of credit information, keyed by its Unified Social Credit Code. Each data owner adds the fields it holds.",
  fields: (t) => ({
    uscc: t.field({ type: "USCC", nullable: false, resolve: (e) => e.uscc }),
    name: t.exposeString("name", { description: "Registered name." }),
    registeredAt: t.field({ type: "DateTime", resolve: (e) => e.registeredAt }),
  }),
});

builder.asEntity(EnterpriseRef, {
  key: builder.selection<{ uscc: string }>("uscc"),
  resolveReference: ({ uscc }, { db }) => db.enterprise.findUnique({ where: { uscc } }),
});

builder.queryFields((t) => ({
  enterprise: t.field({
    type: EnterpriseRef,
    nullable: true,
    description: "Looks an enterprise up by its Unified Social Credit Code. Open to anyone.",
    args: { uscc: t.arg({ type: "USCC", required: true }) },
    resolve: async (_root, { uscc }, { db }) => {
      const enterprise = await db.enterprise.findUnique({ where: { uscc } });
      if (!enterprise) throw notFound(`No enterprise with code ${uscc} is known to the hub.`);
      return enterprise;
    },
  }),
  enterprises: t.field({
    type: [EnterpriseRef],
    description: "Finds enterprises whose registered name contains the given text. Open to anyone.",
    args: {
      nameContains: t.arg.string({ required: true }),
      first: t.arg.int({ defaultValue: 20 }),
    },
    resolve: (_root, { nameContains, first }, { db }) => {
      const text = nameContains.trim();
      if (text.length < 2) throw badInput("Give at least two characters of the name.");
      const take = first ?? 20;
      if (take < 1 || take > 100) throw badInput("first must be between 1 and 100.");
      return db.enterprise.findMany({ where: { name: { contains: text } }, orderBy: { name: "asc" }, take });
    },
  }),
}));

const RegisterEnterpriseInput = builder.inputType("RegisterEnterpriseInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    name: t.string({ required: true }),
  }),
});

/** Registering a known enterprise again is fine under the same name, and an error under another. */
function sameName(existing: Enterprise, name: string): Enterprise {
  if (existing.name !== name)
    throw badInput(`${existing.uscc} is already registered as ${JSON.stringify(existing.name)}.`);
  return existing;
}

builder.mutationFields((t) => ({
  registerEnterprise: t.field({
    type: EnterpriseRef,
    description:
      "Adds an enterprise to the hub's directory so owners can keep records about it. Registering one that is already known under the same name returns it unchanged.",
    args: { input: t.arg({ type: RegisterEnterpriseInput, required: true }) },
    resolve: async (_root, { input }, { caller, db }) => {
      const org = requireOrganisation(caller);
      if (org.organisationType === "ENTERPRISE" ? org.uscc !== input.uscc : !hasRole(org, "STAFF"))
        throw forbidden("Only staff of a data owner, or the enterprise itself, can register an enterprise.");
      const name = input.name.trim();
      if (!name) throw badInput("An enterprise needs its registered name.");
      const existing = await db.enterprise.findUnique({ where: { uscc: input.uscc } });
      if (existing) return sameName(existing, name);
      try {
        return await db.enterprise.create({ data: { uscc: input.uscc, name, registeredBy: org.organisationId } });
      } catch (error) {
        // Someone registered it in between: the primary key decided; answer as if we had been second.
        if (!isUniqueViolation(error)) throw error;
        return sameName(await db.enterprise.findUniqueOrThrow({ where: { uscc: input.uscc } }), name);
      }
    },
  }),
  renameEnterprise: t.field({
    type: EnterpriseRef,
    description: "Corrects an enterprise's registered name. Hub operators, or the enterprise itself.",
    args: { uscc: t.arg({ type: "USCC", required: true }), name: t.arg.string({ required: true }) },
    resolve: async (_root, { uscc, name }, { caller, db }) => {
      const org = requireOrganisation(caller);
      if (!hasRole(org, "OPERATOR") && !(org.organisationType === "ENTERPRISE" && org.uscc === uscc))
        throw forbidden("Only a hub operator or the enterprise itself can rename an enterprise.");
      const trimmed = name.trim();
      if (!trimmed) throw badInput("An enterprise needs its registered name.");
      if (!(await db.enterprise.findUnique({ where: { uscc } }))) throw notFound(`No enterprise with code ${uscc}.`);
      return db.enterprise.update({ where: { uscc }, data: { name: trimmed } });
    },
  }),
}));
