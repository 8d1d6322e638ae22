import type { TradeRecord } from "../../../prisma/industry/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import type { StandingAssessment } from "../../sdk/standing.ts";
import { isoDate } from "../../sdk/validation.ts";
import { builder, type IndustryContext, OrganisationRef, owner } from "../owner.ts";
import { activeTradeRecords } from "./trade-record.ts";

/** The industry bodies' part of a bank's standing check: one trading-performance summary per body. */
const StandingRef = owner.Standing;

/** Paying less than this share on time, or fulfilling less than this share of contracts, is a concern. */
const PUNCTUALITY_FLOOR = 0.9;
const FULFILMENT_FLOOR = 0.9;

interface TradingFile {
  ownerId: string;
  uscc: string;
  /** Newest period first. */
  records: TradeRecord[];
}

async function filesFor(context: IndustryContext, uscc: string): Promise<TradingFile[]> {
  const files = new Map<string, TradingFile>();
  for (const r of await activeTradeRecords(context, uscc)) {
    const file = files.get(r.ownerId) ?? { ownerId: r.ownerId, uscc, records: [] };
    file.records.push(r);
    files.set(r.ownerId, file);
  }
  return [...files.values()];
}

const latestPayment = (f: TradingFile) => f.records.find((r) => r.kind === "PAYMENT") ?? null;
const contracts = (f: TradingFile) => {
  const c = f.records.filter((r) => r.kind === "CONTRACT");
  return c.length
    ? { fulfilled: c.reduce((n, r) => n + (r.fulfilled ?? 0), 0), due: c.reduce((n, r) => n + (r.due ?? 0), 0) }
    : null;
};
const disputes = (f: TradingFile, outcome: TradeRecord["mediationOutcome"]) =>
  f.records.filter((r) => r.kind === "DISPUTE" && r.mediationOutcome === outcome).length;

const TradingStandingRef = builder.objectRef<TradingFile>("TradingStanding").implement({
  description: "How the enterprise treats its trading partners, as one industry body observed it, in numbers.",
  // A body has a file only when it keeps records: the file's existence is theirs.
  ...subjectOf<TradingFile>((f) => ({ ownerId: f.ownerId, uscc: f.uscc }), { exists: "SHARED" }),
  fields: (t) => ({
    body: t.field({ type: OrganisationRef, ...classified("PUBLIC"), resolve: (f) => ({ id: f.ownerId }) }),
    paymentOnTimeRatio: t.float({
      nullable: true,
      description: "Share of payments made on time in the latest period the body reported.",
      ...classified("SHARED"),
      resolve: (f) => latestPayment(f)?.onTimeRatio ?? null,
    }),
    contractsFulfilled: t.int({ nullable: true, ...classified("SHARED"), resolve: (f) => contracts(f)?.fulfilled }),
    contractsDue: t.int({ nullable: true, ...classified("SHARED"), resolve: (f) => contracts(f)?.due }),
    pendingDisputes: t.int({
      description: "Disputes still in mediation.",
      ...classified("SHARED"),
      resolve: (f) => disputes(f, "PENDING"),
    }),
    unsettledDisputes: t.int({
      description: "Disputes mediation could not settle.",
      ...classified("SHARED"),
      resolve: (f) => disputes(f, "NOT_SETTLED"),
    }),
  }),
});

builder.objectField(StandingRef, "trading", (t) =>
  t.field({
    type: [TradingStandingRef],
    description: "Every industry body that reports on the enterprise's trading performance.",
    resolve: ({ uscc }, _args, context) => filesFor(context, uscc),
  }),
);

function concernsOf(f: TradingFile): string[] {
  const concerns: string[] = [];
  const payment = latestPayment(f);
  if (payment?.onTimeRatio != null && payment.onTimeRatio < PUNCTUALITY_FLOOR)
    concerns.push(
      `Paid ${Math.round(payment.onTimeRatio * 100)}% on time in ${isoDate(payment.periodStart)}–${isoDate(payment.periodEnd)} (industry body ${f.ownerId}).`,
    );
  const c = contracts(f);
  if (c && c.due > 0 && c.fulfilled / c.due < FULFILMENT_FLOOR)
    concerns.push(`Fulfilled ${c.fulfilled} of ${c.due} contracts due (industry body ${f.ownerId}).`);
  const pending = disputes(f, "PENDING");
  const unsettled = disputes(f, "NOT_SETTLED");
  if (pending) concerns.push(`${pending} trade dispute(s) in mediation (industry body ${f.ownerId}).`);
  if (unsettled)
    concerns.push(`${unsettled} trade dispute(s) mediation could not settle (industry body ${f.ownerId}).`);
  return concerns;
}

owner.standingConcerns((usccs, context) =>
  Promise.all(
    usccs.map(
      async (uscc): Promise<StandingAssessment> => ({
        publicConcerns: [],
        owners: (await filesFor(context, uscc)).map((f) => ({ ownerId: f.ownerId, concerns: concernsOf(f) })),
      }),
    ),
  ),
);
