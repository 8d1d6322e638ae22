import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import type { IdentityProvider, Prisma } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { hasRole } from "../../../protocol/identity.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { isUuid } from "../../sdk/validation.ts";
import { registryEntry } from "../audit.ts";
import { builder, type RegistryDb } from "../owner.ts";
import { checkedText, quoted } from "../text.ts";
import { RoleEnum } from "./api-key.ts";
import { canManage, findOrganisation, OrganisationRef } from "./organisation.ts";

/**
 * Who holds an issuer. The hub fetches nothing, so it cannot check that an
 * organisation really runs the issuer it names; a hub operator does, out of
 * band. An organisation's admin may register its provider, but it stays
 * PENDING — its tokens are refused — until an operator confirms it; a provider
 * an operator registers is confirmed at once. Only confirmed, unrevoked
 * providers hold their issuer (`liveIssuer`, unique), so an admin who names
 * someone else's issuer first blocks nobody, and a revoked issuer can be
 * registered again.
 */

const ProviderStatus = builder.enumType("IdentityProviderStatus", {
  values: ["PENDING", "LIVE", "REVOKED"] as const,
  description: "PENDING until a hub operator confirms it; only LIVE providers' tokens are accepted.",
});

function statusOf(p: IdentityProvider): "PENDING" | "LIVE" | "REVOKED" {
  return p.revokedAt ? "REVOKED" : p.confirmedAt ? "LIVE" : "PENDING";
}

export const IdentityProviderRef = builder.objectRef<IdentityProvider>("IdentityProvider").implement({
  description:
    "An organisation's own identity provider: once a hub operator confirmed it, JWTs it signs (issuer, audience, keys as registered) authenticate as that organisation.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    organisationId: t.exposeID("organisationId"),
    issuer: t.exposeString("issuer"),
    audience: t.exposeString("audience"),
    roles: t.field({ type: [RoleEnum], resolve: (p) => p.roles }),
    keyIds: t.stringList({
      description: "The `kid`s of the registered keys.",
      resolve: (p) => ((p.jwks as { keys?: { kid?: string }[] }).keys ?? []).map((k) => k.kid ?? "(no kid)"),
    }),
    status: t.field({ type: ProviderStatus, resolve: statusOf }),
    createdAt: t.field({ type: "DateTime", resolve: (p) => p.createdAt }),
    confirmedAt: t.field({ type: "DateTime", nullable: true, resolve: (p) => p.confirmedAt }),
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

builder.queryField("pendingIdentityProviders", (t) =>
  t.field({
    type: [IdentityProviderRef],
    description: "Identity providers waiting for a hub operator's confirmation, oldest first. Hub operators only.",
    resolve: (_root, _args, { db }) =>
      db.identityProvider.findMany({ where: { confirmedAt: null, revokedAt: null }, orderBy: { createdAt: "asc" } }),
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

/** The refusal when another live provider holds the issuer. */
function issuerTaken(issuer: string) {
  return badInput(
    `The issuer ${quoted(issuer)} is already held by a live identity provider; it must be revoked before another is confirmed for it.`,
  );
}

async function findProvider(db: RegistryDb, id: string) {
  return isUuid(id) ? db.identityProvider.findUnique({ where: { id } }) : null;
}

builder.mutationFields((t) => ({
  registerIdentityProvider: t.field({
    type: IdentityProviderRef,
    description:
      "Registers an organisation's identity provider. Its admins register it PENDING, for a hub operator to confirm; a hub operator's registration is LIVE at once.",
    args: { input: t.arg({ type: RegisterIdentityProviderInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, audit, now }) => {
      requireOrganisation(caller);
      const organisationId = String(input.organisationId);
      if (!canManage(caller, organisationId))
        throw forbidden("Only this organisation's admins can register its identity providers.");
      const issuer = checkedText(input.issuer, "issuer", "issuer");
      const audience = checkedText(input.audience, "audience", "audience");
      const jwks = parseJwks(checkedText(input.jwks, "jwks", "jwks"));
      if (input.roles.length === 0) throw badInput("Give the provider at least one role.");
      if (input.roles.includes("OPERATOR") && !hasRole(caller, "OPERATOR"))
        throw forbidden("Only hub operators can let a provider act as OPERATOR.");
      if (!(await findOrganisation(db, organisationId)))
        throw notFound(`No organisation has id ${quoted(organisationId)}.`);
      const confirmed = hasRole(caller, "OPERATOR");
      try {
        return await db.$transaction(async (tx) => {
          if (await tx.identityProvider.findUnique({ where: { liveIssuer: issuer }, select: { id: true } }))
            throw issuerTaken(issuer);
          const at = now();
          const provider = await tx.identityProvider.create({
            data: {
              organisationId,
              issuer,
              audience,
              jwks: jwks as unknown as Prisma.InputJsonValue,
              roles: [...new Set(input.roles)],
              confirmedAt: confirmed ? at : null,
              liveIssuer: confirmed ? issuer : null,
            },
          });
          await audit.write(
            tx,
            [
              registryEntry(
                "IDENTITY_PROVIDER_REGISTERED",
                { organisationId },
                { providerId: provider.id, issuer, audience, roles: provider.roles, status: statusOf(provider) },
              ),
            ],
            at,
          );
          return provider;
        });
      } catch (error) {
        // Confirmed at the same moment by someone else: the unique index over live issuers decided.
        if (isUniqueViolation(error)) throw issuerTaken(issuer);
        throw error;
      }
    },
  }),
  confirmIdentityProvider: t.field({
    type: IdentityProviderRef,
    description:
      "Confirms, once checked out of band that the organisation runs the issuer, a PENDING provider: its tokens count from the next request. Hub operators only.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { db, audit, now }) => {
      try {
        return await db.$transaction(async (tx) => {
          const provider = await findProvider(tx, String(id));
          if (!provider) throw notFound(`No identity provider ${quoted(String(id))}.`);
          if (provider.revokedAt) throw badInput("This identity provider was revoked; register it again instead.");
          if (provider.confirmedAt) return provider;
          const at = now();
          const confirmed = await tx.identityProvider.update({
            where: { id: provider.id },
            data: { confirmedAt: at, liveIssuer: provider.issuer },
          });
          await audit.write(
            tx,
            [
              registryEntry(
                "IDENTITY_PROVIDER_CONFIRMED",
                { organisationId: provider.organisationId },
                { providerId: provider.id, issuer: provider.issuer },
              ),
            ],
            at,
          );
          return confirmed;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const provider = await findProvider(db, String(id));
        throw issuerTaken(provider?.issuer ?? "");
      }
    },
  }),
  revokeIdentityProvider: t.field({
    type: IdentityProviderRef,
    description:
      "Stops accepting a provider's tokens, from the next request on; its issuer can then be registered again.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { caller, db, audit, now }) =>
      db.$transaction(async (tx) => {
        const provider = await findProvider(tx, String(id));
        if (!provider || !canManage(caller, provider.organisationId))
          throw notFound(`No identity provider ${quoted(String(id))} that you manage.`);
        if (provider.revokedAt) return provider;
        const at = now();
        const revoked = await tx.identityProvider.update({
          where: { id: provider.id },
          data: { revokedAt: at, liveIssuer: null },
        });
        await audit.write(
          tx,
          [
            registryEntry(
              "IDENTITY_PROVIDER_REVOKED",
              { organisationId: provider.organisationId },
              { providerId: provider.id, issuer: provider.issuer },
            ),
          ],
          at,
        );
        return revoked;
      }),
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
  if (jwks.keys.some((k) => k === null || typeof k !== "object"))
    throw badInput('Each entry of the jwks "keys" array must be a JWK object.');
  if (jwks.keys.some((k) => "d" in k || "p" in k || "k" in k))
    throw badInput("jwks must hold public keys only; one of them has private or symmetric key material.");
  try {
    createLocalJWKSet(jwks);
  } catch {
    throw badInput("jwks is not a valid JWK Set.");
  }
  return jwks;
}
