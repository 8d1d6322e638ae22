import type { Enterprise } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { hasRole, type OrganisationType } from "../../../protocol/identity.ts";
import { type OrganisationCaller, requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { registryEntry } from "../audit.ts";
import { builder, type RegistryContext } from "../owner.ts";
import { checkedText, likeLiteral, quoted, TEXT_LIMITS } from "../text.ts";

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

/** Enterprises by code: one query for all of a request's look-ups (the public lookup, references, standings). */
export function enterpriseOf({ read, loaders }: RegistryContext, uscc: string): Promise<Enterprise | null> {
  return requestLoader(loaders, "enterpriseByUscc", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await read<Enterprise>(`SELECT * FROM "Enterprise" WHERE uscc = ANY($1)`, [usccs]),
      (e) => e.uscc,
    ).map((found) => found[0] ?? null),
  ).load(uscc);
}

builder.asEntity(EnterpriseRef, {
  key: builder.selection<{ uscc: string }>("uscc"),
  resolveReference: ({ uscc }, context) => enterpriseOf(context, uscc),
});

builder.queryFields((t) => ({
  enterprise: t.field({
    type: EnterpriseRef,
    nullable: true,
    description: "Looks an enterprise up by its Unified Social Credit Code. Open to anyone.",
    args: { uscc: t.arg({ type: "USCC", required: true }) },
    resolve: async (_root, { uscc }, context) => {
      const enterprise = await enterpriseOf(context, uscc);
      if (!enterprise) throw notFound(`No enterprise with code ${uscc} is known to the hub.`);
      return enterprise;
    },
  }),
  enterprises: t.field({
    type: [EnterpriseRef],
    description: "Finds enterprises whose registered name contains the given text. Open to anyone.",
    args: {
      nameContains: t.arg.string({
        required: true,
        description: `${TEXT_LIMITS.search.min}–${TEXT_LIMITS.search.max} characters, matched literally (% and _ included).`,
      }),
      first: t.arg.int({ defaultValue: 20 }),
    },
    resolve: (_root, { nameContains, first }, { db }) => {
      const text = checkedText(nameContains, "nameContains", "search");
      const take = first ?? 20;
      if (take < 1 || take > 100) throw badInput("first must be between 1 and 100.");
      // A literal search: "100%" finds names containing "100%", not every name with "100" in it.
      return db.enterprise.findMany({
        where: { name: { contains: likeLiteral(text) } },
        orderBy: { name: "asc" },
        take,
      });
    },
  }),
}));

const RegisterEnterpriseInput = builder.inputType("RegisterEnterpriseInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    name: t.string({
      required: true,
      description: `The registered name, ${TEXT_LIMITS.name.min}–${TEXT_LIMITS.name.max} characters, no control characters.`,
    }),
  }),
});

/** Owners whose staff keep records about enterprises, and so add them to the directory. */
const DIRECTORY_KEEPERS: ReadonlySet<OrganisationType> = new Set(["ASSOCIATION", "INDUSTRY_BODY", "BUREAU"]);

/**
 * Who may add an enterprise to the directory: a hub operator; staff of a data
 * owner (they vet their members and subjects); the enterprise itself for its
 * own code (the operator admitted it under that code). Never a bank, insurer
 * or regulator, and never an enterprise for another: they only read the
 * directory, and a name they typed would be shown to everyone as the
 * enterprise's registered name.
 */
function mayRegister(org: OrganisationCaller, uscc: string): boolean {
  if (hasRole(org, "OPERATOR")) return true;
  if (org.organisationType === "ENTERPRISE") return org.uscc === uscc;
  return DIRECTORY_KEEPERS.has(org.organisationType) && hasRole(org, "STAFF");
}

/**
 * Registering a known enterprise again under the same name returns it (owners
 * register before they admit, whoever came first); under another name it is
 * refused, never a silent overwrite: the name is corrected by renameEnterprise.
 */
function sameName(existing: Enterprise, name: string): Enterprise {
  if (existing.name !== name)
    throw badInput(
      `${existing.uscc} is already registered as ${quoted(existing.name)}, so it is not registered again as ${quoted(name)}. If the registered name is wrong, a hub operator or the enterprise itself corrects it with renameEnterprise (giving a reason).`,
      { registeredName: existing.name.slice(0, TEXT_LIMITS.name.max) },
    );
  return existing;
}

builder.mutationFields((t) => ({
  registerEnterprise: t.field({
    type: EnterpriseRef,
    description:
      "Adds an enterprise to the hub's directory so owners can keep records about it: hub operators, staff of associations, industry bodies and credit bureaus, or the enterprise itself. Registering one that is already known under the same name returns it unchanged; under another name it is refused (see renameEnterprise).",
    args: { input: t.arg({ type: RegisterEnterpriseInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, audit, now }) => {
      const org = requireOrganisation(caller);
      if (!mayRegister(org, input.uscc))
        throw forbidden(
          org.organisationType === "ENTERPRISE"
            ? "An enterprise can register only its own code."
            : `A ${org.organisationType} organisation cannot register enterprises: hub operators and staff of associations, industry bodies and credit bureaus do.`,
        );
      const name = checkedText(input.name, "name", "name");
      try {
        return await db.$transaction(async (tx) => {
          const existing = await tx.enterprise.findUnique({ where: { uscc: input.uscc } });
          if (existing) return sameName(existing, name);
          const created = await tx.enterprise.create({
            data: { uscc: input.uscc, name, registeredBy: org.organisationId },
          });
          await audit.write(tx, [registryEntry("ENTERPRISE_REGISTERED", { uscc: created.uscc }, { name })], now());
          return created;
        });
      } catch (error) {
        // Someone registered it in between: the primary key decided; answer as if we had been second.
        if (!isUniqueViolation(error)) throw error;
        return sameName(await db.enterprise.findUniqueOrThrow({ where: { uscc: input.uscc } }), name);
      }
    },
  }),
  renameEnterprise: t.field({
    type: EnterpriseRef,
    description:
      "Corrects an enterprise's registered name, with the reason, which the registry's audit log keeps with the old and new name. Hub operators, or the enterprise itself.",
    args: {
      uscc: t.arg({ type: "USCC", required: true }),
      name: t.arg.string({ required: true }),
      reason: t.arg.string({
        required: true,
        description: "Why the name changes, e.g. the business licence it was checked against.",
      }),
    },
    resolve: async (_root, args, { caller, db, audit, now }) => {
      const org = requireOrganisation(caller);
      const { uscc } = args;
      if (!hasRole(org, "OPERATOR") && !(org.organisationType === "ENTERPRISE" && org.uscc === uscc))
        throw forbidden("Only a hub operator or the enterprise itself can correct an enterprise's registered name.");
      const name = checkedText(args.name, "name", "name");
      const reason = checkedText(args.reason, "reason", "reason");
      return db.$transaction(async (tx) => {
        const existing = await tx.enterprise.findUnique({ where: { uscc } });
        if (!existing) throw notFound(`No enterprise with code ${uscc} is known to the hub.`);
        if (existing.name === name) return existing;
        const renamed = await tx.enterprise.update({ where: { uscc }, data: { name } });
        await audit.write(
          tx,
          [registryEntry("ENTERPRISE_RENAMED", { uscc }, { from: existing.name, to: name, reason })],
          now(),
        );
        return renamed;
      });
    },
  }),
}));
