import type { BureauRecord } from "../../../prisma/bureaus/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { negativeInForce } from "../../sdk/retention.ts";
import type { StandingAssessment } from "../../sdk/standing.ts";
import { type BureausContext, builder, OrganisationRef, owner } from "../owner.ts";
import { activeBureauRecords } from "./bureau-record.ts";

/** The bureaus' part of a bank's standing check: one summary per bureau that keeps records about the enterprise. */
const StandingRef = owner.Standing;

interface BureauFile {
  ownerId: string;
  uscc: string;
  /** Negative records past retention are left out: they no longer count against the enterprise. */
  records: BureauRecord[];
}

async function filesFor(context: BureausContext, uscc: string): Promise<BureauFile[]> {
  const now = context.now();
  const files = new Map<string, BureauFile>();
  for (const r of await activeBureauRecords(context, uscc)) {
    if (r.polarity === "NEGATIVE" && !negativeInForce(r, now)) continue;
    const file = files.get(r.ownerId) ?? { ownerId: r.ownerId, uscc, records: [] };
    file.records.push(r);
    files.set(r.ownerId, file);
  }
  return [...files.values()];
}

const negatives = (f: BureauFile) => f.records.filter((r) => r.polarity === "NEGATIVE");

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
      resolve: (f) => [...new Set(negatives(f).map((r) => r.category))],
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

owner.standingConcerns((usccs, context) =>
  Promise.all(
    usccs.map(
      async (uscc): Promise<StandingAssessment> => ({
        publicConcerns: [],
        owners: (await filesFor(context, uscc)).map((f) => {
          const bad = negatives(f);
          return {
            ownerId: f.ownerId,
            concerns: bad.length
              ? [
                  `${bad.length} negative record(s) in force with bureau ${f.ownerId} (${[...new Set(bad.map((r) => r.category))].join(", ")}).`,
                ]
              : [],
          };
        }),
      }),
    ),
  ),
);
