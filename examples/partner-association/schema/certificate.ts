import { badInput } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../../subgraphs/sdk/access.ts";
import { changeEntry } from "../../../subgraphs/sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../../subgraphs/sdk/context.ts";
import { groupBy, requestLoader } from "../../../subgraphs/sdk/loaders.ts";
import { assertNotTooFarAhead, MAX_LABEL, requireText } from "../../../subgraphs/sdk/validation.ts";
import { builder } from "../builder.ts";
import type { QualityCertificate } from "../prisma/generated/client.ts";
import { EnterpriseRef, OrganisationRef } from "./enterprise.ts";

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
    resolve: ({ uscc }, _args, { db, loaders }) =>
      requestLoader(loaders, "plasticsCertificates", async (usccs: readonly string[]) =>
        groupBy(
          usccs,
          await db.qualityCertificate.findMany({
            where: { uscc: { in: [...usccs] } },
            orderBy: [{ validUntil: "desc" }, { createdAt: "desc" }],
          }),
          (c) => c.uscc,
        ),
      ).load(uscc),
  }),
);

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
      // The kit's rule, which a partner gets for free: a fact only about an enterprise the hub's directory knows.
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
