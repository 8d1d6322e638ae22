import { badInput, notFound } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../../subgraphs/sdk/access.ts";
import { changeEntry } from "../../../subgraphs/sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../../subgraphs/sdk/context.ts";
import { groupBy, requestLoader } from "../../../subgraphs/sdk/loaders.ts";
import { assertNotTooFarAhead, isUuid, MAX_LABEL, requireText } from "../../../subgraphs/sdk/validation.ts";
import { builder, EnterpriseRef, OrganisationRef, type PlasticsContext } from "../owner.ts";
import type { QualityCertificate } from "../prisma/generated/client.ts";

/**
 * The partner's own credit data. Each field's class is declared here, once:
 * the SDK's permission layer enforces it on every path (including `_entities`)
 * and the SDK's audit log records every non-public release or denial.
 */
export const QualityCertificateRef = builder.objectRef<QualityCertificate>("QualityCertificate").implement({
  description: "A product-quality certificate a plastics association issued to a member after inspection.",
  ...subjectOf<QualityCertificate>((c) => ({ ownerId: c.ownerId, uscc: c.uscc }), { exists: "PUBLIC" }),
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false, ...classified("PUBLIC") }),
    issuer: t.field({ type: OrganisationRef, ...classified("PUBLIC"), resolve: (c) => ({ id: c.ownerId }) }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (c) => ({ uscc: c.uscc }) }),
    product: t.exposeString("product", classified("PUBLIC")),
    level: t.exposeString("level", { description: "e.g. 一级, 二级.", ...classified("PUBLIC") }),
    validUntil: t.field({ type: "Date", ...classified("PUBLIC"), resolve: (c) => c.validUntil }),
    withdrawn: t.boolean({ ...classified("PUBLIC"), resolve: (c) => c.status === "WITHDRAWN" }),
    inspectionNote: t.exposeString("inspectionNote", {
      description: "What the inspectors found; the enterprise's consent is needed to see it.",
      ...classified("CONSENT"),
    }),
    inspectorScore: t.exposeInt("inspectorScore", {
      description: "The inspectors' internal score; never leaves the association.",
      ...classified("INTERNAL"),
    }),
  }),
});

builder.objectField(EnterpriseRef, "plasticsCertificates", (t) =>
  t.field({
    type: [QualityCertificateRef],
    description: "Quality certificates plastics associations issued to the enterprise; each field as its class allows.",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _args, context) => certificatesOf(context, uscc),
  }),
);

/** Every certificate about an enterprise, newest validity first: one query for all enterprises of a request. */
export function certificatesOf({ db, loaders }: PlasticsContext, uscc: string): Promise<QualityCertificate[]> {
  return requestLoader(loaders, "plasticsCertificates", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await db.qualityCertificate.findMany({
        where: { uscc: { in: [...usccs] } },
        orderBy: [{ validUntil: "desc" }, { createdAt: "desc" }],
      }),
      (c) => c.uscc,
    ),
  ).load(uscc);
}

const IssueCertificateInput = builder.inputType("IssueQualityCertificateInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    product: t.string({ required: true }),
    level: t.string({ required: true }),
    validUntil: t.field({ type: "Date", required: true }),
    inspectionNote: t.string({ required: true }),
    inspectorScore: t.int({ required: true, description: "0 to 100." }),
  }),
});

builder.mutationField("issueQualityCertificate", (t) =>
  t.field({
    type: QualityCertificateRef,
    description: "The calling association certifies a member's product.",
    args: { input: t.arg({ type: IssueCertificateInput, required: true }) },
    resolve: (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      // The SDK's rule, which a partner gets for free: a fact only about an enterprise the hub's directory knows.
      requireKnownEnterprise({ known }, input.uscc);
      if (input.inspectorScore < 0 || input.inspectorScore > 100)
        throw badInput(`inspectorScore must be between 0 and 100; got ${input.inspectorScore}.`);
      if (input.validUntil.getTime() <= now().getTime()) throw badInput("validUntil must be in the future.");
      // Generous (certificates are the partner's business), but a year such as 9999 is a typo, not a validity.
      assertNotTooFarAhead(input.validUntil, now(), "validUntil", 100);
      return db.$transaction(async (tx) => {
        const certificate = await tx.qualityCertificate.create({
          data: {
            ownerId: association.organisationId,
            uscc: input.uscc,
            product: requireText(input.product, "product", MAX_LABEL),
            level: requireText(input.level, "level", MAX_LABEL),
            validUntil: input.validUntil,
            inspectionNote: requireText(input.inspectionNote, "inspectionNote"),
            inspectorScore: input.inspectorScore,
          },
        });
        await audit.write(tx, [changeEntry(certificate, "QualityCertificate", { issued: certificate.id })], now());
        return certificate;
      });
    },
  }),
);

builder.mutationField("withdrawQualityCertificate", (t) =>
  t.field({
    type: QualityCertificateRef,
    description:
      "The issuing association withdraws a certificate (a later inspection failed); it stays on record as withdrawn.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { caller, db, now, audit }) => {
      const association = requireOrganisation(caller);
      const certificateId = String(id);
      if (!isUuid(certificateId))
        throw badInput(`id must be a certificate's id (a UUID); got ${JSON.stringify(certificateId)}.`);
      return db.$transaction(async (tx) => {
        const found = await tx.qualityCertificate.findUnique({ where: { id: certificateId } });
        // Another association's certificate is answered like a missing one: whose it is is theirs to tell.
        if (!found || found.ownerId !== association.organisationId)
          throw notFound(`You issued no certificate with id ${certificateId}.`);
        if (found.status === "WITHDRAWN") return found;
        const withdrawn = await tx.qualityCertificate.update({
          where: { id: found.id },
          data: { status: "WITHDRAWN" },
        });
        await audit.write(tx, [changeEntry(withdrawn, "QualityCertificate", { withdrawn: withdrawn.id })], now());
        return withdrawn;
      });
    },
  }),
);
