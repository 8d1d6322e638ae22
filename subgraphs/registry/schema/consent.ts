import type { Consent } from "../../../prisma/registry/generated/client.ts";
import { isPurpose } from "../../../protocol/access-terms.ts";
import { badInput, notFound } from "../../../protocol/errors.ts";
import { purposeEnum } from "../../sdk/builder.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import type { SqlReader } from "../../sdk/database.ts";
import { isUuid } from "../../sdk/validation.ts";
import { registryEntry } from "../audit.ts";
import { builder } from "../owner.ts";
import { quoted } from "../text.ts";
import { EnterpriseRef } from "./enterprise.ts";
import { findOrganisation, OrganisationRef } from "./organisation.ts";

/** The longest an enterprise can consent for at once; it can always consent again. */
const MAX_CONSENT_DAYS = 3 * 366;

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
    expiresAt: t.field({ type: "DateTime", required: true }),
  }),
});

builder.mutationFields((t) => ({
  giveConsent: t.field({
    type: ConsentRef,
    description: "The calling enterprise consents that an organisation sees its CONSENT-class data for one purpose.",
    args: { input: t.arg({ type: GiveConsentInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, audit, now }) => {
      const enterprise = requireOrganisation(caller);
      const consumerId = String(input.consumerId);
      const consumer = await findOrganisation(db, consumerId);
      if (!consumer) throw notFound(`No organisation has id ${quoted(consumerId)}.`);
      if (consumer.type === "ENTERPRISE" || consumer.type === "HUB")
        throw badInput(`Consent is given to data users, not to a ${consumer.type} organisation.`);
      const horizon = now().getTime() + MAX_CONSENT_DAYS * 86_400_000;
      if (input.expiresAt.getTime() <= now().getTime()) throw badInput("expiresAt must be in the future.");
      if (input.expiresAt.getTime() > horizon) throw badInput(`A consent lasts at most ${MAX_CONSENT_DAYS} days.`);
      const uscc = enterprise.uscc ?? "";
      return db.$transaction(async (tx) => {
        const consent = await tx.consent.create({
          data: { uscc, consumerId, purpose: input.purpose, expiresAt: input.expiresAt },
        });
        await audit.write(
          tx,
          [
            registryEntry(
              "CONSENT_GIVEN",
              { organisationId: consumerId, uscc },
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

/** The gateway's lookup: which of these enterprises gave this consumer live consent for this purpose. */
export async function liveConsents(
  read: SqlReader,
  request: { consumerId?: unknown; purpose?: unknown; usccs?: unknown },
  now: Date,
): Promise<{ usccs: string[] }> {
  const usccs = Array.isArray(request.usccs) ? request.usccs.filter((u): u is string => typeof u === "string") : [];
  if (
    typeof request.consumerId !== "string" ||
    !isUuid(request.consumerId) ||
    !isPurpose(typeof request.purpose === "string" ? request.purpose : null) ||
    !usccs.length
  )
    return { usccs: [] };
  // Asked on every request that names enterprises: a hot read, in plain SQL (subgraphs/sdk/database.ts).
  const rows = await read<{ uscc: string }>(
    `SELECT DISTINCT uscc FROM "Consent" WHERE "consumerId" = $1::uuid AND purpose::text = $2 AND uscc = ANY($3)
       AND "revokedAt" IS NULL AND "expiresAt" > $4::timestamptz`,
    [request.consumerId, request.purpose, usccs.slice(0, 1000), now],
  );
  return { usccs: rows.map((r) => r.uscc) };
}
