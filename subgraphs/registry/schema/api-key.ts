import type { ApiKey } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { hasRole, ROLES } from "../../../protocol/identity.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { registryEntry } from "../audit.ts";
import { KEY_ID, newApiKey } from "../credentials.ts";
import { builder } from "../owner.ts";
import { checkedText, idArgument, quoted } from "../text.ts";
import { canManage, findOrganisation, OrganisationRef } from "./organisation.ts";

export const RoleEnum = builder.enumType("Role", {
  values: ROLES,
  description:
    "OPERATOR runs the hub (admits organisations); ADMIN manages its organisation's keys; STAFF keeps and reads its organisation's data.",
});

/** The longest a key can be issued for; rotating keys is the point of expiry. */
export const MAX_KEY_DAYS = 2 * 366;

export const ApiKeyRef = builder.objectRef<ApiKey>("ApiKey");

ApiKeyRef.implement({
  description: "A credential of an organisation. Only its hash is stored; the key is shown once, when issued.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    label: t.exposeString("label"),
    roles: t.field({ type: [RoleEnum], resolve: (k) => k.roles }),
    createdAt: t.field({ type: "DateTime", resolve: (k) => k.createdAt }),
    revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (k) => k.revokedAt }),
    expiresAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the key stops working; null for a key that does not expire.",
      resolve: (k) => k.expiresAt,
    }),
    expired: t.boolean({
      description: "Past its expiry: refused as UNAUTHENTICATED. Issue a new key.",
      resolve: (k, _a, { now }) => k.expiresAt !== null && k.expiresAt.getTime() <= now().getTime(),
    }),
    lastUsedAt: t.field({ type: "DateTime", nullable: true, resolve: (k) => k.lastUsedAt }),
  }),
});

export const IssuedApiKey = builder.objectRef<{ apiKey: ApiKey; key: string }>("IssuedApiKey").implement({
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
    expiresAt: t.field({
      type: "DateTime",
      description: `When the key stops working: in the future, at most ${MAX_KEY_DAYS} days ahead. Leave it out for a key that does not expire.`,
    }),
  }),
});

builder.mutationFields((t) => ({
  issueApiKey: t.field({
    type: IssuedApiKey,
    description: "Issues a key to an organisation. Its own admins or a hub operator; only operators grant OPERATOR.",
    args: { input: t.arg({ type: IssueApiKeyInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, audit, now }) => {
      const actor = requireOrganisation(caller);
      const organisationId = String(input.organisationId);
      if (!canManage(caller, organisationId))
        throw forbidden("Only this organisation's admins can issue its API keys.");
      const label = checkedText(input.label, "label", "label");
      if (input.roles.length === 0) throw badInput("A key needs at least one role.");
      if (input.roles.includes("OPERATOR") && !hasRole(caller, "OPERATOR"))
        throw forbidden("Only hub operators can issue OPERATOR keys.");
      const expiresAt = input.expiresAt ?? null;
      if (expiresAt) {
        if (expiresAt.getTime() <= now().getTime()) throw badInput("expiresAt must be in the future.");
        if (expiresAt.getTime() > now().getTime() + MAX_KEY_DAYS * 86_400_000)
          throw badInput(`A key lasts at most ${MAX_KEY_DAYS} days; issue a new one before it expires.`);
      }
      const organisation = await findOrganisation(db, organisationId);
      if (!organisation) throw notFound(`No organisation has id ${quoted(organisationId)}.`);
      const fresh = newApiKey();
      const roles = [...new Set(input.roles)];
      const apiKey = await db.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: {
            id: fresh.id,
            organisationId,
            label,
            roles,
            secretHash: fresh.secretHash,
            createdBy: actor.organisationId,
            expiresAt,
          },
        });
        await audit.write(
          tx,
          [
            registryEntry(
              "API_KEY_ISSUED",
              { organisationId },
              { keyId: created.id, label, roles, expiresAt: expiresAt?.toISOString() ?? null },
            ),
          ],
          now(),
        );
        return created;
      });
      return { apiKey, key: fresh.key };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    description: "Revokes a key; it stops working on the next request.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { caller, db, audit, now }) => {
      requireOrganisation(caller);
      const keyId = idArgument(id, KEY_ID);
      return db.$transaction(async (tx) => {
        const key = keyId ? await tx.apiKey.findUnique({ where: { id: keyId } }) : null;
        if (!key || !canManage(caller, key.organisationId))
          throw notFound(`No API key ${quoted(String(id))} that you manage.`);
        if (key.revokedAt) return key;
        const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: now() } });
        await audit.write(
          tx,
          [
            registryEntry(
              "API_KEY_REVOKED",
              { organisationId: key.organisationId },
              { keyId: key.id, label: key.label },
            ),
          ],
          now(),
        );
        return revoked;
      });
    },
  }),
}));
