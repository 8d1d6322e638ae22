import type { BureauRecord } from "../../../prisma/bureaus/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import type { StandingAssessment } from "../../sdk/findings.ts";
import { type BureausContext, builder, OrganisationRef, owner } from "../owner.ts";
import { type BureauFileFacts, bureauFiles, bureauFindings, negativeCategories, negatives } from "../rules/standing.ts";
import { activeBureauRecords } from "./bureau-record.ts";

/** The bureaus' part of a bank's standing check: one summary per bureau that keeps records about the enterprise. */
const StandingRef = owner.Standing;

type BureauFile = BureauFileFacts<BureauRecord>;

async function filesFor(context: BureausContext, uscc: string): Promise<BureauFile[]> {
  return bureauFiles(uscc, await activeBureauRecords(context, uscc), context.now());
}

const BureauStandingRef = builder.objectRef<BureauFile>("BureauStanding").implement({
  description: "What one credit bureau's own records say about the enterprise, in numbers.",
  // A bureau has a file only when it keeps records: the file's existence is theirs.
  ...subjectOf<BureauFile>((f) => ({ ownerId: f.ownerId, uscc: f.uscc }), { exists: "SHARED" }),
  fields: (t) => ({
    bureau: t.field({ type: OrganisationRef, ...classified("PUBLIC"), resolve: (f) => ({ id: f.ownerId }) }),
    negativeRecords: t.int({ ...classified("SHARED"), resolve: (f) => negatives(f).length }),
    positiveRecords: t.int({ ...classified("SHARED"), resolve: (f) => f.records.length - negatives(f).length }),
    negativeCategories: t.stringList({
      ...classified("SHARED"),
      resolve: negativeCategories,
    }),
  }),
});

builder.objectField(StandingRef, "bureaus", (t) =>
  t.field({
    type: [BureauStandingRef],
    description: "Every credit bureau that keeps records about the enterprise.",
    resolve: ({ uscc }, _args, context) => filesFor(context, uscc),
  }),
);

owner.standingFindings((usccs, context) =>
  Promise.all(
    usccs.map(
      async (uscc): Promise<StandingAssessment> => ({
        public: [],
        owners: (await filesFor(context, uscc)).map((f) => ({ ownerId: f.ownerId, findings: bureauFindings(f) })),
      }),
    ),
  ),
);
