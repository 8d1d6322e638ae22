import type { Organisation } from "../../../prisma/registry/generated/client.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { type Caller, hasRole, ORGANISATION_TYPES } from "../../../protocol/identity.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { isUuid } from "../../sdk/validation.ts";
import { registryEntry } from "../audit.ts";
import { builder, type RegistryDb } from "../owner.ts";
import { checkedText, likeLiteral, quoted, TEXT_LIMITS } from "../text.ts";

export const OrganisationTypeEnum = builder.enumType("OrganisationType", {
  values: ORGANISATION_TYPES,
  description: "The kind of party an organisation is on the hub.",
});

export const OrganisationStatusEnum = builder.enumType("OrganisationStatus", {
  values: ["ACTIVE", "SUSPENDED"] as const,
  description: "A suspended organisation's credentials stop working at once.",
});

export const OrganisationRef = builder.objectRef<Organisation>("Organisation");

/** Who may manage an organisation's credentials: the hub operator, or the organisation's own admins. */
export function canManage(caller: Caller, organisationId: string): boolean {
  if (hasRole(caller, "OPERATOR")) return true;
  return caller.kind === "organisation" && caller.organisationId === organisationId && hasRole(caller, "ADMIN");
}

OrganisationRef.implement({
  description: "A party on the hub. The directory of participants is public.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    name: t.exposeString("name"),
    type: t.field({ type: OrganisationTypeEnum, resolve: (o) => o.type }),
    uscc: t.field({ type: "USCC", nullable: true, resolve: (o) => o.uscc }),
    status: t.field({ type: OrganisationStatusEnum, resolve: (o) => o.status }),
    createdAt: t.field({ type: "DateTime", resolve: (o) => o.createdAt }),
  }),
});

builder.asEntity(OrganisationRef, {
  key: builder.selection<{ id: string }>("id"),
  resolveReference: ({ id }, { db }) => db.organisation.findUnique({ where: { id } }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: OrganisationRef,
    nullable: true,
    description: "The organisation the caller acts for; null when anonymous.",
    resolve: (_root, _args, { caller, db }) =>
      caller.kind === "organisation" ? db.organisation.findUnique({ where: { id: caller.organisationId } }) : null,
  }),
  organisations: t.field({
    type: [OrganisationRef],
    args: {
      type: t.arg({ type: OrganisationTypeEnum }),
      nameContains: t.arg.string({
        description: `Only those whose name contains this text: ${TEXT_LIMITS.search.min}–${TEXT_LIMITS.search.max} characters, matched literally (% and _ included).`,
      }),
    },
    resolve: (_root, args, { db }) => {
      const text = args.nameContains == null ? null : checkedText(args.nameContains, "nameContains", "search");
      return db.organisation.findMany({
        where: {
          ...(args.type ? { type: args.type } : {}),
          ...(text ? { name: { contains: likeLiteral(text) } } : {}),
        },
        orderBy: { name: "asc" },
      });
    },
  }),
  organisation: t.field({
    type: OrganisationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { db }) => {
      const organisation = await findOrganisation(db, String(id));
      if (!organisation) throw notFound(`No organisation has id ${quoted(String(id))}.`);
      return organisation;
    },
  }),
}));

const CreateOrganisationInput = builder.inputType("CreateOrganisationInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: OrganisationTypeEnum, required: true }),
    uscc: t.field({ type: "USCC", description: "Required for ENTERPRISE organisations." }),
  }),
});

builder.mutationFields((t) => ({
  createOrganisation: t.field({
    type: OrganisationRef,
    description: "Admits an organisation to the hub. Hub operators only.",
    args: { input: t.arg({ type: CreateOrganisationInput, required: true }) },
    resolve: async (_root, { input }, { db, audit, now }) => {
      const name = checkedText(input.name, "name", "name");
      if (input.type === "ENTERPRISE" && !input.uscc)
        throw badInput("An ENTERPRISE organisation must give its Unified Social Credit Code (uscc).");
      try {
        return await db.$transaction(async (tx) => {
          const created = await tx.organisation.create({ data: { name, type: input.type, uscc: input.uscc ?? null } });
          await audit.write(
            tx,
            [
              registryEntry(
                "ORGANISATION_CREATED",
                { organisationId: created.id, uscc: created.uscc },
                { name, type: created.type },
              ),
            ],
            now(),
          );
          return created;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw badInput(`An organisation with this name or USCC already exists.`);
        throw error;
      }
    },
  }),
  setOrganisationStatus: t.field({
    type: OrganisationRef,
    description: "Suspends or reactivates an organisation. Hub operators only.",
    args: {
      id: t.arg.id({ required: true }),
      status: t.arg({ type: OrganisationStatusEnum, required: true }),
    },
    resolve: (_root, { id, status }, { db, audit, now }) =>
      db.$transaction(async (tx) => {
        const organisation = await findOrganisation(tx, String(id));
        if (!organisation) throw notFound(`No organisation has id ${quoted(String(id))}.`);
        if (organisation.status === status) return organisation;
        const changed = await tx.organisation.update({ where: { id: organisation.id }, data: { status } });
        await audit.write(
          tx,
          [
            registryEntry(
              status === "SUSPENDED" ? "ORGANISATION_SUSPENDED" : "ORGANISATION_REACTIVATED",
              { organisationId: organisation.id },
              { from: organisation.status, to: status },
            ),
          ],
          now(),
        );
        return changed;
      }),
  }),
}));

/** Looks an organisation up by id; a malformed id is simply not found. */
export function findOrganisation(db: RegistryDb, id: string) {
  return isUuid(id) ? db.organisation.findUnique({ where: { id } }) : Promise.resolve(null);
}
