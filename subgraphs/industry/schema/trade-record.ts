import type { TradeRecord } from "../../../prisma/industry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import {
  assertNotFuture,
  assertOrder,
  isUuid,
  MAX_LABEL,
  optionalText,
  quote,
  requireText,
} from "../../sdk/validation.ts";
import { builder, EnterpriseRef, type IndustryContext, OrganisationRef } from "../owner.ts";

const TradeRecordKindEnum = builder.enumType("TradeRecordKind", {
  values: ["PAYMENT", "CONTRACT", "DISPUTE"] as const,
  description: "PAYMENT punctuality, CONTRACT fulfilment, or a DISPUTE and its mediation.",
});
const MediationOutcomeEnum = builder.enumType("MediationOutcome", {
  values: ["PENDING", "SETTLED", "NOT_SETTLED"] as const,
});
const TradeRecordStatusEnum = builder.enumType("TradeRecordStatus", { values: ["ACTIVE", "RETRACTED"] as const });

export const TradeRecordRef = builder.objectRef<TradeRecord>("TradeRecord");

TradeRecordRef.implement({
  description:
    "How an enterprise kept its commitments to trading partners over a period, as an up- or downstream industry body observed it.",
  ...subjectOf<TradeRecord>((r) => ({ ownerId: r.ownerId, uscc: r.uscc }), { exists: "SHARED" }),
  fields: (t) => ({
    id: t.exposeID("id", classified("SHARED")),
    owner: t.field({ type: OrganisationRef, ...classified("SHARED"), resolve: (r) => ({ id: r.ownerId }) }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (r) => ({ uscc: r.uscc }) }),
    kind: t.field({ type: TradeRecordKindEnum, ...classified("SHARED"), resolve: (r) => r.kind }),
    periodStart: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.periodStart }),
    periodEnd: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.periodEnd }),
    onTimeRatio: t.exposeFloat("onTimeRatio", {
      nullable: true,
      description: "PAYMENT: share paid on time.",
      ...classified("SHARED"),
    }),
    fulfilled: t.exposeInt("fulfilled", {
      nullable: true,
      description: "CONTRACT: contracts fulfilled.",
      ...classified("SHARED"),
    }),
    due: t.exposeInt("due", { nullable: true, description: "CONTRACT: contracts due.", ...classified("SHARED") }),
    mediationOutcome: t.field({
      type: MediationOutcomeEnum,
      nullable: true,
      ...classified("SHARED"),
      resolve: (r) => r.mediationOutcome,
    }),
    status: t.field({ type: TradeRecordStatusEnum, ...classified("SHARED"), resolve: (r) => r.status }),
    detail: t.exposeString("detail", { nullable: true, ...classified("CONSENT") }),
    counterparty: t.exposeString("counterparty", { nullable: true, ...classified("INTERNAL") }),
  }),
});

/** An enterprise's trade records in force, newest period first; one query for every enterprise of the request. */
export function activeTradeRecords({ read, loaders }: IndustryContext, uscc: string): Promise<TradeRecord[]> {
  return requestLoader(loaders, "tradeRecords", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await read<TradeRecord>(
        `SELECT * FROM "TradeRecord" WHERE uscc = ANY($1) AND status = 'ACTIVE' ORDER BY "periodEnd" DESC, "createdAt" DESC`,
        [usccs],
      ),
      (r) => r.uscc,
    ),
  ).load(uscc);
}

builder.objectField(EnterpriseRef, "tradeRecords", (t) =>
  t.field({
    type: [TradeRecordRef],
    description:
      "Industry bodies' records of how the enterprise treats its trading partners; each field as its class allows.",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _args, context) => activeTradeRecords(context, uscc),
  }),
);

const RecordTradePerformanceInput = builder.inputType("RecordTradePerformanceInput", {
  description: "Give onTimeRatio for PAYMENT, fulfilled and due for CONTRACT, mediationOutcome for DISPUTE.",
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    kind: t.field({ type: TradeRecordKindEnum, required: true }),
    periodStart: t.field({ type: "Date", required: true }),
    periodEnd: t.field({ type: "Date", required: true }),
    onTimeRatio: t.float(),
    fulfilled: t.int(),
    due: t.int(),
    mediationOutcome: t.field({ type: MediationOutcomeEnum }),
    counterparty: t.string(),
    detail: t.string(),
  }),
});

builder.mutationFields((t) => ({
  recordTradePerformance: t.field({
    type: TradeRecordRef,
    description: "The calling industry body records how an enterprise performed towards its trading partners.",
    args: { input: t.arg({ type: RecordTradePerformanceInput, required: true }) },
    resolve: (_root, { input }, { caller, db, now, audit, known }) => {
      const body = requireOrganisation(caller);
      // Industry bodies record about any enterprise of their sector (no membership), but only one the directory knows.
      requireKnownEnterprise({ known }, input.uscc);
      assertOrder(input.periodStart, input.periodEnd, "periodStart", "periodEnd");
      assertNotFuture(input.periodStart, now(), "periodStart");
      // Performance is about the past: a period not yet over has none to record.
      assertNotFuture(input.periodEnd, now(), "periodEnd");
      const measures = {
        onTimeRatio: input.kind === "PAYMENT" ? input.onTimeRatio : null,
        fulfilled: input.kind === "CONTRACT" ? input.fulfilled : null,
        due: input.kind === "CONTRACT" ? input.due : null,
        mediationOutcome: input.kind === "DISPUTE" ? input.mediationOutcome : null,
      };
      if (
        input.kind === "PAYMENT" &&
        (measures.onTimeRatio == null || measures.onTimeRatio < 0 || measures.onTimeRatio > 1)
      )
        throw badInput("A PAYMENT record needs onTimeRatio between 0 and 1.");
      if (
        input.kind === "CONTRACT" &&
        !(
          measures.due != null &&
          measures.fulfilled != null &&
          measures.fulfilled >= 0 &&
          measures.fulfilled <= measures.due
        )
      )
        throw badInput("A CONTRACT record needs due and fulfilled, with 0 ≤ fulfilled ≤ due.");
      if (input.kind === "DISPUTE" && !measures.mediationOutcome)
        throw badInput("A DISPUTE record needs its mediationOutcome.");
      return db.$transaction(async (tx) => {
        const record = await tx.tradeRecord.create({
          data: {
            ownerId: body.organisationId,
            uscc: input.uscc,
            kind: input.kind,
            periodStart: input.periodStart,
            periodEnd: input.periodEnd,
            onTimeRatio: measures.onTimeRatio ?? null,
            fulfilled: measures.fulfilled ?? null,
            due: measures.due ?? null,
            mediationOutcome: measures.mediationOutcome ?? null,
            counterparty: optionalText(input.counterparty, "counterparty", MAX_LABEL),
            detail: optionalText(input.detail, "detail"),
          },
        });
        await audit.write(tx, [changeEntry(record, "TradeRecord", { recorded: record.id })], now());
        return record;
      });
    },
  }),
  retractTradeRecord: t.field({
    type: TradeRecordRef,
    description: "Withdraws a record the calling industry body keeps; it is no longer shared.",
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_root, args, { caller, db, now, audit }) => {
      const body = requireOrganisation(caller);
      const reason = requireText(args.reason, "reason");
      const id = String(args.id);
      return db.$transaction(async (tx) => {
        const record = isUuid(id) ? await tx.tradeRecord.findUnique({ where: { id } }) : null;
        if (!record) throw notFound(`No trade record ${quote(id)}.`);
        if (record.ownerId !== body.organisationId)
          throw forbidden("Only the industry body that keeps this record can retract it.");
        if (record.status === "RETRACTED") throw badInput("This record is already retracted.");
        const retracted = await tx.tradeRecord.update({ where: { id }, data: { status: "RETRACTED" } });
        await audit.write(tx, [changeEntry(record, "TradeRecord", { retracted: id, reason })], now());
        return retracted;
      });
    },
  }),
}));
