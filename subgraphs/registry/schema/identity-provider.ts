import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import type { IdentityProvider, Prisma } from "../../../prisma/registry/generated/client.ts";
import { requireOrganisation } from "../../kit/context.ts";
import { isUniqueViolation } from "../../kit/database.ts";
import { badInput, forbidden, notFound } from "../../kit/errors.ts";
import { hasRole } from "../../kit/identity.ts";
import { isUuid, requireText } from "../../kit/validation.ts";
import { builder } from "../builder.ts";
import { RoleEnum } from "./api-key.ts";
import { canManage, findOrganisation, OrganisationRef } from "./organisation.ts";

export const IdentityProviderRef = builder.objectRef<IdentityProvider>("IdentityProvider").implement({
  description:
    "An organisation's own identity provider: JWTs it signs (issuer, audience, keys as registered) authenticate as that organisation.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    issuer: t.exposeString("issuer"),
    audience: t.exposeString("audience"),
    roles: t.field({ type: [RoleEnum], resolve: (p) => p.roles }),
    keyIds: t.stringList({
      description: "The `kid`s of the registered keys.",
      resolve: (p) => ((p.jwks as { keys?: { kid?: string }[] }).keys ?? []).map((k) => k.kid ?? "(no kid)"),
    }),
    createdAt: t.field({ type: "DateTime", resolve: (p) => p.createdAt }),
    revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (p) => p.revokedAt }),
  }),
});

builder.objectField(OrganisationRef, "identityProviders", (t) =>
  t.field({
    type: [IdentityProviderRef],
    description: "The organisation's registered identity providers, for its admins and hub operators.",
    resolve: (org, _args, { caller, db }) => {
      if (!canManage(caller, org.id))
        throw forbidden("Only this organisation's admins can list its identity providers.");
      return db.identityProvider.findMany({ where: { organisationId: org.id }, orderBy: { createdAt: "asc" } });
    },
  }),
);

const RegisterIdentityProviderInput = builder.inputType("RegisterIdentityProviderInput", {
  fields: (t) => ({
    organisationId: t.id({ required: true }),
    issuer: t.string({ required: true, description: "The `iss` of its tokens." }),
    audience: t.string({ required: true, description: "The `aud` its tokens carry for the hub." }),
    jwks: t.string({ required: true, description: "Its public keys, a JWK Set as JSON (registered, never fetched)." }),
    roles: t.field({ type: [RoleEnum], required: true, description: "The most its tokens may do." }),
  }),
});

builder.mutationFields((t) => ({
  registerIdentityProvider: t.field({
    type: IdentityProviderRef,
    description: "Lets an organisation sign in with JWTs from its own identity provider. Its admins or a hub operator.",
    args: { input: t.arg({ type: RegisterIdentityProviderInput, required: true }) },
    resolve: async (_root, { input }, { caller, db }) => {
      requireOrganisation(caller);
      const organisationId = String(input.organisationId);
      if (!canManage(caller, organisationId))
        throw forbidden("Only this organisation's admins can register its identity providers.");
      if (!(await findOrganisation(db, organisationId))) throw notFound(`No organisation has id ${organisationId}.`);
      if (input.roles.length === 0) throw badInput("Give the provider at least one role.");
      if (input.roles.includes("OPERATOR") && !hasRole(caller, "OPERATOR"))
        throw forbidden("Only hub operators can let a provider act as OPERATOR.");
      const jwks = parseJwks(input.jwks);
      try {
        return await db.identityProvider.create({
          data: {
            organisationId,
            issuer: requireText(input.issuer, "issuer"),
            audience: requireText(input.audience, "audience"),
            jwks: jwks as unknown as Prisma.InputJsonValue,
            roles: [...new Set(input.roles)],
          },
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw badInput(`An identity provider with issuer ${JSON.stringify(input.issuer)} is already registered.`);
        throw error;
      }
    },
  }),
  revokeIdentityProvider: t.field({
    type: IdentityProviderRef,
    description: "Stops accepting a provider's tokens, from the next request on.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { caller, db, now }) => {
      const provider = isUuid(String(id)) ? await db.identityProvider.findUnique({ where: { id: String(id) } }) : null;
      if (!provider || !canManage(caller, provider.organisationId))
        throw notFound(`No identity provider ${id} that you manage.`);
      return provider.revokedAt
        ? provider
        : db.identityProvider.update({ where: { id: provider.id }, data: { revokedAt: now() } });
    },
  }),
}));

function parseJwks(text: string): JSONWebKeySet {
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(text) as JSONWebKeySet;
  } catch {
    throw badInput('jwks is not JSON. Give the provider\'s JWK Set, {"keys": [...]}.');
  }
  if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) throw badInput('jwks needs a non-empty "keys" array.');
  if (jwks.keys.some((k) => "d" in k || "p" in k || "k" in k))
    throw badInput("jwks must hold public keys only; one of them has private or symmetric key material.");
  createLocalJWKSet(jwks);
  return jwks;
}
