import type { TradingPartnerReport } from "../../../prisma/associations/generated/client.ts";
import { badInput } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, assertOrder, optionalText } from "../../sdk/validation.ts";
import { builder, EnterpriseRef, OrganisationRef } from "../owner.ts";

const PartnerRelationEnum = builder.enumType("PartnerRelation", {
  values: ["SUPPLIER", "CUSTOMER"] as const,
  description: "What the partner is to the member that reported it.",
});

const PartnerIndicatorEnum = builder.enumType("PartnerIndicator", {
  values: ["PAYMENT_PUNCTUALITY", "CONTRACT_FULFILMENT", "PRODUCT_QUALITY"] as const,
});

const PartnerAssessmentEnum = builder.enumType("PartnerAssessment", {
  values: ["GOOD", "FAIR", "POOR"] as const,
});

export const TradingPartnerReportRef = builder.objectRef<TradingPartnerReport>("TradingPartnerReport");

TradingPartnerReportRef.implement({
  description:
    "A member's report to its association about how a trading partner kept its commitments. Who reported is kept from everyone but the association.",
  ...subjectOf<TradingPartnerReport>((r) => ({ ownerId: r.ownerId, uscc: r.partnerUscc }), { exists: "SHARED" }),
  fields: (t) => ({
    id: t.exposeID("id", classified("SHARED")),
    owner: t.field({ type: OrganisationRef, ...classified("SHARED"), resolve: (r) => ({ id: r.ownerId }) }),
    partner: t.field({
      type: EnterpriseRef,
      description: "The trading partner reported on.",
      ...classified("PUBLIC"),
      resolve: (r) => ({ uscc: r.partnerUscc }),
    }),
    reporter: t.field({
      type: EnterpriseRef,
      description: "The member that reported.",
      ...classified("INTERNAL"),
      resolve: (r) => ({ uscc: r.reporterUscc }),
    }),
    relation: t.field({ type: PartnerRelationEnum, ...classified("SHARED"), resolve: (r) => r.relation }),
    indicator: t.field({ type: PartnerIndicatorEnum, ...classified("SHARED"), resolve: (r) => r.indicator }),
    assessment: t.field({ type: PartnerAssessmentEnum, ...classified("SHARED"), resolve: (r) => r.assessment }),
    periodStart: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.periodStart }),
    periodEnd: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.periodEnd }),
    detail: t.exposeString("detail", { nullable: true, ...classified("CONSENT") }),
    createdAt: t.field({ type: "DateTime", ...classified("SHARED"), resolve: (r) => r.createdAt }),
  }),
});

builder.objectField(EnterpriseRef, "tradingPartnerReports", (t) =>
  t.field({
    type: [TradingPartnerReportRef],
    description: "Reports about this enterprise as a trading partner; each field shows as its class allows.",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _args, { db, loaders }) =>
      requestLoader(loaders, "tradingPartnerReports", async (usccs: readonly string[]) =>
        groupBy(
          usccs,
          await db.tradingPartnerReport.findMany({
            where: { partnerUscc: { in: [...usccs] } },
            orderBy: { periodEnd: "desc" },
          }),
          (r) => r.partnerUscc,
        ),
      ).load(uscc),
  }),
);

const ReportTradingPartnerInput = builder.inputType("ReportTradingPartnerInput", {
  fields: (t) => ({
    reporterUscc: t.field({ type: "USCC", required: true, description: "The member reporting." }),
    partnerUscc: t.field({ type: "USCC", required: true }),
    relation: t.field({ type: PartnerRelationEnum, required: true }),
    indicator: t.field({ type: PartnerIndicatorEnum, required: true }),
    assessment: t.field({ type: PartnerAssessmentEnum, required: true }),
    periodStart: t.field({ type: "Date", required: true }),
    periodEnd: t.field({ type: "Date", required: true }),
    detail: t.string(),
  }),
});

builder.mutationFields((t) => ({
  reportTradingPartner: t.field({
    type: TradingPartnerReportRef,
    description: "Records what a member of the calling association reported about a trading partner.",
    args: { input: t.arg({ type: ReportTradingPartnerInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      // The reporter must be a member (below); the partner it reports on need not be, but must be an enterprise
      // the directory knows, or the report would be stored about a code no one can look up.
      requireKnownEnterprise({ known }, input.reporterUscc);
      requireKnownEnterprise({ known }, input.partnerUscc);
      if (input.reporterUscc === input.partnerUscc)
        throw badInput("An enterprise cannot report on itself as a partner.");
      assertOrder(input.periodStart, input.periodEnd, "periodStart", "periodEnd");
      assertNotFuture(input.periodStart, now(), "periodStart");
      // How a partner behaved is about the past: a period not yet over has no performance to report.
      assertNotFuture(input.periodEnd, now(), "periodEnd");
      const member = await db.membership.findUnique({
        where: { ownerId_uscc: { ownerId: association.organisationId, uscc: input.reporterUscc } },
      });
      if (member?.status !== "ACTIVE")
        throw badInput(`${input.reporterUscc} is not an active member of your association.`);
      return db.$transaction(async (tx) => {
        const report = await tx.tradingPartnerReport.create({
          data: {
            ownerId: association.organisationId,
            reporterUscc: input.reporterUscc,
            partnerUscc: input.partnerUscc,
            relation: input.relation,
            indicator: input.indicator,
            assessment: input.assessment,
            periodStart: input.periodStart,
            periodEnd: input.periodEnd,
            detail: optionalText(input.detail, "detail"),
          },
        });
        await audit.write(
          tx,
          [
            changeEntry({ ownerId: report.ownerId, uscc: report.partnerUscc }, "TradingPartnerReport", {
              reported: report.id,
            }),
          ],
          now(),
        );
        return report;
      });
    },
  }),
}));
