import { randomUUID } from "node:crypto";
import { readSettings } from "../../../operations/settings.ts";
import type { Consent } from "../../../prisma/registry/generated/client.ts";
import { isPurpose } from "../../../protocol/access-terms.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { type ConsentBasis, MAX_CONSENT_OWNERS, MAX_TOKEN_USCCS } from "../../../protocol/hub-token.ts";
import { addAuditKeyField } from "../../sdk/audit-schema.ts";
import { purposeEnum } from "../../sdk/builder.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import type { SqlReader } from "../../sdk/database.ts";
import { isUuid } from "../../sdk/validation.ts";
import { registryEntry } from "../audit.ts";
import { builder, type RegistryContext, type RegistryDb } from "../owner.ts";
import { bestConsents, CONSENT_RECEIPT_TYPE, consentHorizon } from "../rules/consents.ts";
import { quoted } from "../text.ts";
import { EnterpriseRef } from "./enterprise.ts";
import { findOrganisation, OrganisationRef } from "./organisation.ts";

const Purpose = purposeEnum(builder);

export const ConsentRef = builder.objectRef<Consent>("Consent").implement({
  description:
    "An enterprise's consent that one organisation may see its CONSENT-class data for one purpose, until it expires or is revoked. Seen by the enterprise and by the organisation it was given to.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    enterprise: t.field({
      type: EnterpriseRef,
      resolve: (c, _a, { db }) => db.enterprise.findUnique({ where: { uscc: c.uscc } }),
    }),
    uscc: t.field({ type: "USCC", resolve: (c) => c.uscc }),
    consumer: t.field({ type: OrganisationRef, resolve: (c, _a, { db }) => findOrganisation(db, c.consumerId) }),
    purpose: t.field({ type: Purpose, resolve: (c) => c.purpose }),
    grantedAt: t.field({ type: "DateTime", resolve: (c) => c.grantedAt }),
    expiresAt: t.field({ type: "DateTime", resolve: (c) => c.expiresAt }),
    revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (c) => c.revokedAt }),
    owners: t.field({
      type: [OrganisationRef],
      description: "The owners whose data it covers; empty when it covers every owner's.",
      resolve: (c, _a, { db }) => organisationsNamed(db, c.ownerIds),
    }),
    receipt: t.string({
      nullable: true,
      description:
        "The registry's signed receipt of this consent (a JWS, typ consent-receipt+jwt): parties, purpose, scope and validity, for both sides to keep. It verifies offline with registryAuditPublicKey (`npm run hub -- receipt verify <file>`).",
      resolve: (c) => c.receipt,
    }),
    live: t.boolean({
      description: "Neither expired nor revoked.",
      resolve: (c, _a, { now }) => c.revokedAt === null && c.expiresAt.getTime() > now().getTime(),
    }),
  }),
});

builder.queryField("consents", (t) =>
  t.field({
    type: [ConsentRef],
    description:
      "For an enterprise: the consents it gave. For any other organisation: the consents given to it. Newest first.",
    args: { liveOnly: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, { liveOnly }, { caller, db, now }) => {
      const org = requireOrganisation(caller);
      const whose =
        org.organisationType === "ENTERPRISE" ? { uscc: org.uscc ?? "" } : { consumerId: org.organisationId };
      return db.consent.findMany({
        where: { ...whose, ...(liveOnly ? { revokedAt: null, expiresAt: { gt: now() } } : {}) },
        orderBy: { grantedAt: "desc" },
      });
    },
  }),
);

const GiveConsentInput = builder.inputType("GiveConsentInput", {
  fields: (t) => ({
    consumerId: t.id({ required: true, description: "The organisation allowed to see the data." }),
    purpose: t.field({ type: Purpose, required: true }),
    ownerIds: t.idList({
      required: false,
      description: `The owners (organisation ids) whose data it covers, at most ${MAX_CONSENT_OWNERS}; left out or empty: every owner's.`,
    }),
    expiresAt: t.field({ type: "DateTime", required: true }),
  }),
});

builder.mutationFields((t) => ({
  giveConsent: t.field({
    type: ConsentRef,
    description: "The calling enterprise consents that an organisation sees its CONSENT-class data for one purpose.",
    args: { input: t.arg({ type: GiveConsentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { caller, db, audit, now } = ctx;
      const enterprise = requireOrganisation(caller);
      const consumerId = String(input.consumerId);
      const consumer = await findOrganisation(db, consumerId);
      if (!consumer) throw notFound(`No organisation has id ${quoted(consumerId)}.`);
      if (consumer.type === "ENTERPRISE" || consumer.type === "HUB")
        throw badInput(`Consent is given to data users, not to a ${consumer.type} organisation.`);
      const { CONSENT_MAX_MONTHS } = readSettings(["CONSENT_MAX_MONTHS"]);
      const horizon = consentHorizon(now(), CONSENT_MAX_MONTHS);
      if (input.expiresAt.getTime() <= now().getTime()) throw badInput("expiresAt must be in the future.");
      if (input.expiresAt.getTime() > horizon.until.getTime())
        throw badInput(
          `同意期限最长 ${CONSENT_MAX_MONTHS} 个月 / A consent lasts at most ${horizon.days} days (${CONSENT_MAX_MONTHS} months); give it again when it ends.`,
        );
      const ownerIds = await dataOwners(db, input.ownerIds);
      const terms = {
        id: randomUUID(),
        uscc: enterprise.uscc ?? "",
        consumerId,
        purpose: input.purpose,
        ownerIds,
        grantedAt: now(),
        expiresAt: input.expiresAt,
      };
      // Signed before the transaction: its reads of names must not wait on the transaction's own connection.
      const receipt = await consentReceipt(ctx, terms, null);
      return db.$transaction(async (tx) => {
        const consent = await tx.consent.create({ data: { ...terms, receipt } });
        await audit.write(
          tx,
          [
            registryEntry(
              "CONSENT_GIVEN",
              { organisationId: consumerId, uscc: terms.uscc },
              { consentId: consent.id, purpose: consent.purpose, expiresAt: consent.expiresAt.toISOString() },
            ),
          ],
          now(),
        );
        return consent;
      });
    },
  }),
  revokeConsent: t.field({
    type: ConsentRef,
    description: "Withdraws a consent the calling enterprise gave; it stops counting on the next request.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { caller, db, audit, now }) => {
      const enterprise = requireOrganisation(caller);
      return db.$transaction(async (tx) => {
        const consent = isUuid(String(id)) ? await tx.consent.findUnique({ where: { id: String(id) } }) : null;
        if (!consent || consent.uscc !== enterprise.uscc) throw notFound(`No consent ${quoted(String(id))} of yours.`);
        if (consent.revokedAt) return consent;
        const revoked = await tx.consent.update({ where: { id: consent.id }, data: { revokedAt: now() } });
        await audit.write(
          tx,
          [
            registryEntry(
              "CONSENT_REVOKED",
              { organisationId: consent.consumerId, uscc: consent.uscc },
              { consentId: consent.id, purpose: consent.purpose },
            ),
          ],
          now(),
        );
        return revoked;
      });
    },
  }),
}));

// The registry signs consent receipts with its audit key: published like every owner's, for anyone to verify them.
addAuditKeyField(builder, "registry");

/** The owners a consent is limited to, checked: each an organisation that keeps data (not an enterprise, not the hub). */
export async function dataOwners(
  db: RegistryDb,
  ids: readonly (string | number)[] | null | undefined,
): Promise<string[]> {
  const ownerIds = [...new Set((ids ?? []).map(String))];
  if (ownerIds.length > MAX_CONSENT_OWNERS)
    throw badInput(`At most ${MAX_CONSENT_OWNERS} owners per consent; leave ownerIds out for every owner's data.`);
  if (!ownerIds.length) return [];
  const owners = await db.organisation.findMany({ where: { id: { in: ownerIds.filter(isUuid) } } });
  const unknown = ownerIds.find(
    (id) => !owners.some((o) => o.id === id && o.type !== "ENTERPRISE" && o.type !== "HUB"),
  );
  if (unknown)
    throw notFound(`没有 id 为 ${quoted(unknown)} 的数据保管机构 / No data owner has id ${quoted(unknown)}.`);
  return ownerIds;
}

/** The organisations of these ids, by name (the owners a consent or a request names). */
export function organisationsNamed(db: RegistryDb, ids: readonly string[]) {
  return ids.length
    ? db.organisation.findMany({ where: { id: { in: [...ids] } }, orderBy: { name: "asc" } })
    : Promise.resolve([]);
}

/**
 * The registry's signed statement of a consent, made when it is given: who consented to whom, for what, over whose
 * data and until when. Both sides keep it; anyone with the registry's public key can check it offline.
 */
export async function consentReceipt(
  ctx: RegistryContext,
  consent: Omit<Consent, "revokedAt" | "receipt">,
  consentRequestId: string | null,
) {
  const [enterprise, consumer, owners] = await Promise.all([
    ctx.db.enterprise.findUnique({ where: { uscc: consent.uscc } }),
    ctx.db.organisation.findUnique({ where: { id: consent.consumerId } }),
    organisationsNamed(ctx.db, consent.ownerIds),
  ]);
  return ctx.signatures.sign(
    {
      consentId: consent.id,
      consentRequestId,
      enterprise: { uscc: consent.uscc, name: enterprise?.name ?? null },
      consumer: { id: consent.consumerId, name: consumer?.name ?? null, type: consumer?.type ?? null },
      purpose: consent.purpose,
      owners: owners.length ? owners.map((o) => ({ id: o.id, name: o.name })) : "ALL",
      grantedAt: consent.grantedAt.toISOString(),
      expiresAt: consent.expiresAt.toISOString(),
    },
    [consent.consumerId, consent.uscc],
    { type: CONSENT_RECEIPT_TYPE, id: consent.id },
  );
}

/**
 * The gateway's lookup: which of these enterprises gave this consumer live consent for this purpose, and the consent
 * each owner will cite. Where an enterprise gave several, the one that covers every owner wins, then the newest
 * (bestConsents).
 */
export async function liveConsents(
  read: SqlReader,
  request: { consumerId?: unknown; purpose?: unknown; usccs?: unknown },
  now: Date,
): Promise<{ consents: ConsentBasis[] }> {
  // Only the gateway calls this, but what it sends is still bounded: USCC-shaped strings, at most MAX_TOKEN_USCCS.
  const usccs = Array.isArray(request.usccs)
    ? request.usccs.filter((u): u is string => typeof u === "string" && u.length === 18).slice(0, MAX_TOKEN_USCCS)
    : [];
  if (
    typeof request.consumerId !== "string" ||
    !isUuid(request.consumerId) ||
    !isPurpose(typeof request.purpose === "string" ? request.purpose : null) ||
    !usccs.length
  )
    return { consents: [] };
  // Asked on every request that names enterprises: a hot read, in plain SQL (subgraphs/sdk/database.ts). A consent
  // whose owners were never set (a row loaded by a tool, not through the API) covers every owner, as all did before.
  const rows = await read<{ uscc: string; id: string; ownerIds: string[]; grantedAt: Date }>(
    `SELECT uscc, id, coalesce("ownerIds", '{}') AS "ownerIds", "grantedAt" FROM "Consent" WHERE "consumerId" = $1::uuid AND purpose::text = $2
       AND uscc = ANY($3) AND "revokedAt" IS NULL AND "expiresAt" > $4::timestamptz`,
    [request.consumerId, request.purpose, usccs, now],
  );
  return { consents: bestConsents(rows) };
}
