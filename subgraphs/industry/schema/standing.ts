import type { TradeRecord } from "../../../prisma/industry/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import type { StandingAssessment } from "../../sdk/findings.ts";
import { builder, type IndustryContext, OrganisationRef, owner } from "../owner.ts";
import {
  contracts,
  disputes,
  latestPayment,
  type TradingFileFacts,
  tradingFiles,
  tradingFindings,
} from "../rules/standing.ts";
import { activeTradeRecords } from "./trade-record.ts";

/** The industry bodies' part of a bank's standing check: one trading-performance summary per body. */
const StandingRef = owner.Standing;

type TradingFile = TradingFileFacts<TradeRecord>;

async function filesFor(context: IndustryContext, uscc: string): Promise<TradingFile[]> {
  return tradingFiles(uscc, await activeTradeRecords(context, uscc));
}

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

owner.standingFindings((usccs, context) =>
  Promise.all(
    usccs.map(
      async (uscc): Promise<StandingAssessment> => ({
        public: [],
        owners: (await filesFor(context, uscc)).map((f) => ({ ownerId: f.ownerId, findings: tradingFindings(f) })),
      }),
    ),
  ),
);
