import type { ApiKey } from "../../../prisma/registry/generated/client.ts";
import { requireOrganisation } from "../../kit/context.ts";
import { badInput, forbidden, notFound } from "../../kit/errors.ts";
import { hasRole, ROLES } from "../../kit/identity.ts";
import { builder } from "../builder.ts";
import { newApiKey } from "../credentials.ts";
import { canManage, findOrganisation, OrganisationRef } from "./organisation.ts";

export const RoleEnum = builder.enumType("Role", {
  values: ROLES,
  description:
    "OPERATOR runs the hub (admits organisations); ADMIN manages its organisation's keys; STAFF keeps and reads its organisation's data.",
});

export const ApiKeyRef = builder.objectRef<ApiKey>("ApiKey");

ApiKeyRef.implement({
  description: "A credential of an organisation. Only its hash is stored; the key is shown once, when issued.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    label: t.exposeString("label"),
    roles: t.field({ type: [RoleEnum], resolve: (k) => k.roles }),
    createdAt: t.field({ type: "DateTime", resolve: (k) => k.createdAt }),
    revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (k) => k.revokedAt }),
    lastUsedAt: t.field({ type: "DateTime", nullable: true, resolve: (k) => k.lastUsedAt }),
  }),
});

const IssuedApiKey = builder.objectRef<{ apiKey: ApiKey; key: string }>("IssuedApiKey").implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }),
    key: t.exposeString("key", { description: "The key itself. Store it now: the hub cannot show it again." }),
  }),
});

builder.objectField(OrganisationRef, "apiKeys", (t) =>
  t.field({
    type: [ApiKeyRef],
    description: "The organisation's keys, for its own admins and hub operators.",
    resolve: (org, _args, { caller, db }) => {
      if (!canManage(caller, org.id)) throw forbidden("Only this organisation's admins can list its API keys.");
      return db.apiKey.findMany({ where: { organisationId: org.id }, orderBy: { createdAt: "asc" } });
    },
  }),
);

const IssueApiKeyInput = builder.inputType("IssueApiKeyInput", {
  fields: (t) => ({
    organisationId: t.id({ required: true }),
    label: t.string({ required: true, description: "What the key is for, e.g. the system that uses it." }),
    roles: t.field({ type: [RoleEnum], required: true }),
  }),
});

builder.mutationFields((t) => ({
  issueApiKey: t.field({
    type: IssuedApiKey,
    description: "Issues a key to an organisation. Its own admins or a hub operator; only operators grant OPERATOR.",
    args: { input: t.arg({ type: IssueApiKeyInput, required: true }) },
    resolve: async (_root, { input }, { caller, db }) => {
      const actor = requireOrganisation(caller);
      const organisationId = String(input.organisationId);
      if (!canManage(caller, organisationId))
        throw forbidden("Only this organisation's admins can issue its API keys.");
      const label = input.label.trim();
      if (!label) throw badInput("A key needs a label saying what it is for.");
      if (input.roles.length === 0) throw badInput("A key needs at least one role.");
      if (input.roles.includes("OPERATOR") && !hasRole(caller, "OPERATOR"))
        throw forbidden("Only hub operators can issue OPERATOR keys.");
      const organisation = await findOrganisation(db, organisationId);
      if (!organisation) throw notFound(`No organisation has id ${organisationId}.`);
      const fresh = newApiKey();
      const apiKey = await db.apiKey.create({
        data: {
          id: fresh.id,
          organisationId,
          label,
          roles: [...new Set(input.roles)],
          secretHash: fresh.secretHash,
          createdBy: actor.organisationId,
        },
      });
      return { apiKey, key: fresh.key };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    description: "Revokes a key; it stops working on the next request.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { caller, db, now }) => {
      requireOrganisation(caller);
      const key = await db.apiKey.findUnique({ where: { id: String(id) } });
      if (!key || !canManage(caller, key.organisationId)) throw notFound(`No API key ${id} that you manage.`);
      if (key.revokedAt) return key;
      return db.apiKey.update({ where: { id: key.id }, data: { revokedAt: now() } });
    },
  }),
}));
