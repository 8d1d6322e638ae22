import type { CreditRecord, Membership } from "../../../prisma/associations/generated/client.ts";
import { classified, subjectOf } from "../../kit/access.ts";
import { groupBy, requestLoader } from "../../kit/loaders.ts";
import { addStandingConcerns, type StandingAssessment, standingEntity } from "../../kit/standing.ts";
import { isoDate } from "../../kit/validation.ts";
import type { AssociationsContext } from "../builder.ts";
import { builder } from "../builder.ts";
import { shareableNow } from "./credit-record.ts";
import { OrganisationRef } from "./enterprise.ts";
import { MembershipRef } from "./membership.ts";

/** The associations' part of a bank's standing check: one summary per association that knows the enterprise. */
export const { Standing: StandingRef, permissions: standingPermissions } = standingEntity(builder);

interface AssociationFile {
  ownerId: string;
  uscc: string;
  membership: Membership | null;
  /** Active records still shared (past retention a negative record no longer counts). */
  records: CreditRecord[];
}

/** Every association's file on each enterprise, for all standings of a request in two queries. */
async function filesFor(usccs: readonly string[], { db, now }: AssociationsContext): Promise<AssociationFile[][]> {
  const [memberships, records] = await Promise.all([
    db.membership.findMany({ where: { uscc: { in: [...usccs] } } }),
    db.creditRecord.findMany({
      where: { uscc: { in: [...usccs] }, status: "ACTIVE", AND: [shareableNow(now())] },
      orderBy: [{ occurredOn: "desc" }, { createdAt: "desc" }],
    }),
  ]);
  const files = new Map<string, AssociationFile>();
  const fileOf = (ownerId: string, uscc: string) => {
    const key = `${ownerId}/${uscc}`;
    let file = files.get(key);
    if (!file) {
      file = { ownerId, uscc, membership: null, records: [] };
      files.set(key, file);
    }
    return file;
  };
  for (const m of memberships) fileOf(m.ownerId, m.uscc).membership = m;
  for (const r of records) fileOf(r.ownerId, r.uscc).records.push(r);
  return groupBy(usccs, [...files.values()], (f) => f.uscc);
}

const loadFiles = (context: AssociationsContext, uscc: string) =>
  requestLoader(context.loaders, "standing:files", (usccs: readonly string[]) => filesFor(usccs, context)).load(uscc);

const negatives = (f: AssociationFile) => f.records.filter((r) => r.polarity === "NEGATIVE");

const AssociationStandingRef = builder.objectRef<AssociationFile>("AssociationStanding").implement({
  description: "What one association knows of the enterprise: its membership (public) and its credit file in numbers.",
  ...subjectOf<AssociationFile>((f) => ({ ownerId: f.ownerId, uscc: f.uscc })),
  fields: (t) => ({
    association: t.field({ type: OrganisationRef, ...classified("PUBLIC"), resolve: (f) => ({ id: f.ownerId }) }),
    membership: t.field({
      type: MembershipRef,
      nullable: true,
      ...classified("PUBLIC"),
      resolve: (f) => f.membership,
    }),
    negativeRecords: t.int({
      description: "Negative records in force (retracted ones and those past retention do not count).",
      ...classified("SHARED"),
      resolve: (f) => negatives(f).length,
    }),
    positiveRecords: t.int({ ...classified("SHARED"), resolve: (f) => f.records.length - negatives(f).length }),
    disputedRecords: t.int({
      description: "Records the enterprise has objected to and the association has not yet answered.",
      ...classified("SHARED"),
      resolve: (f) => f.records.filter((r) => r.disputed).length,
    }),
    latestNegativeOn: t.field({
      type: "Date",
      nullable: true,
      ...classified("SHARED"),
      resolve: (f) => negatives(f)[0]?.occurredOn ?? null,
    }),
  }),
});

builder.objectField(StandingRef, "associations", (t) =>
  t.field({
    type: [AssociationStandingRef],
    description: "Every association the enterprise is a member of or that keeps credit records about it.",
    resolve: ({ uscc }, _args, context) => loadFiles(context, uscc),
  }),
);

addStandingConcerns(builder, StandingRef, {
  field: "associationsConcerns",
  description: "What associations' memberships and credit files say against the enterprise.",
  assess: async (usccs, context) => {
    const byUscc = await Promise.all(usccs.map((u) => loadFiles(context, u)));
    return byUscc.map((files): StandingAssessment => {
      const publicConcerns = files
        .filter((f) => f.membership?.status === "SUSPENDED")
        .map((f) => `Membership of association ${f.ownerId} is suspended.`);
      const owners = files
        .filter((f) => f.records.length > 0)
        .map((f) => {
          const bad = negatives(f);
          const disputed = bad.filter((r) => r.disputed).length;
          const concerns = bad.length
            ? [
                `${bad.length} negative credit record(s) in force with association ${f.ownerId} (latest ${isoDate(bad[0]?.occurredOn ?? null)}: ${[...new Set(bad.map((r) => r.category))].join(", ")})${disputed ? `, ${disputed} under the enterprise's objection` : ""}.`,
              ]
            : [];
          return { ownerId: f.ownerId, concerns };
        });
      return { publicConcerns, owners };
    });
  },
});
