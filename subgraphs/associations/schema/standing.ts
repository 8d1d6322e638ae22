import type { CreditRecord, ListEntry, Membership, Sanction } from "../../../prisma/associations/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { type AssociationsContext, builder, OrganisationRef, owner } from "../owner.ts";
import { retentionCutoff } from "../rules/retention.ts";
import { FILE_RULE, fileClass, negativeRecords, standingFindings } from "../rules/standing.ts";
import { shareableSql } from "./credit-record.ts";
import { EvaluationRef, validEvaluationOf } from "./evaluation.ts";
import { ListEntryRef, listEntriesOf } from "./list-entry.ts";
import { MembershipRef } from "./membership.ts";
import { SanctionRef, sanctionsOf } from "./sanction.ts";

/** The associations' part of a bank's standing check: one summary per association that knows the enterprise. */
const StandingRef = owner.Standing;

interface AssociationFile {
  ownerId: string;
  uscc: string;
  membership: Membership | null;
  /** Active records still shared (past retention a negative record no longer counts). */
  records: CreditRecord[];
  /** Active sanctions and list entries, of every level and list: who sees which is decided where they are shown. */
  sanctions: Sanction[];
  lists: ListEntry[];
}

/** Every association's file on each enterprise, for all standings of a request in two queries. */
async function filesFor(usccs: readonly string[], context: AssociationsContext): Promise<AssociationFile[][]> {
  const { read, now } = context;
  const [memberships, records, sanctions, lists] = await Promise.all([
    read<Membership>(`SELECT * FROM "Membership" WHERE uscc = ANY($1)`, [usccs]),
    read<CreditRecord>(
      `SELECT * FROM "CreditRecord" WHERE uscc = ANY($1) AND status = 'ACTIVE' AND ${shareableSql(2)}
       ORDER BY "occurredOn" DESC, "createdAt" DESC`,
      [usccs, retentionCutoff(now())],
    ),
    Promise.all(usccs.map((u) => sanctionsOf(context, u))),
    Promise.all(usccs.map((u) => listEntriesOf(context, u))),
  ]);
  const files = new Map<string, AssociationFile>();
  const fileOf = (ownerId: string, uscc: string) => {
    const key = `${ownerId}/${uscc}`;
    let file = files.get(key);
    if (!file) {
      file = { ownerId, uscc, membership: null, records: [], sanctions: [], lists: [] };
      files.set(key, file);
    }
    return file;
  };
  for (const m of memberships) fileOf(m.ownerId, m.uscc).membership = m;
  for (const r of records) fileOf(r.ownerId, r.uscc).records.push(r);
  for (const x of sanctions.flat()) if (x.status === "ACTIVE") fileOf(x.ownerId, x.uscc).sanctions.push(x);
  for (const e of lists.flat()) if (e.status === "ACTIVE") fileOf(e.ownerId, e.uscc).lists.push(e);
  return groupBy(usccs, [...files.values()], (f) => f.uscc);
}

const loadFiles = (context: AssociationsContext, uscc: string) =>
  requestLoader(context.loaders, "standing:files", (usccs: readonly string[]) => filesFor(usccs, context)).load(uscc);

const AssociationStandingRef = builder.objectRef<AssociationFile>("AssociationStanding").implement({
  description: "What one association knows of the enterprise: its membership (public) and its credit file in numbers.",
  ...subjectOf<AssociationFile>((f) => ({ ownerId: f.ownerId, uscc: f.uscc }), {
    exists: fileClass,
    rule: FILE_RULE,
  }),
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
      resolve: (f) => negativeRecords(f).length,
    }),
    positiveRecords: t.int({ ...classified("SHARED"), resolve: (f) => f.records.length - negativeRecords(f).length }),
    disputedRecords: t.int({
      description: "Records the enterprise has objected to and the association has not yet answered.",
      ...classified("SHARED"),
      resolve: (f) => f.records.filter((r) => r.disputed).length,
    }),
    latestNegativeOn: t.field({
      type: "Date",
      nullable: true,
      ...classified("SHARED"),
      resolve: (f) => negativeRecords(f)[0]?.occurredOn ?? null,
    }),
    sanctions: t.field({
      type: [SanctionRef],
      description: "The association's sanctions in force that you may see: public ones from public condemnation up.",
      ...classified("PUBLIC"),
      resolve: (f) => f.sanctions,
    }),
    lists: t.field({
      type: [ListEntryRef],
      description: "The enterprise's places on the association's lists that you may see.",
      ...classified("PUBLIC"),
      resolve: (f) => f.lists,
    }),
  }),
});

builder.objectField(StandingRef, "evaluation", (t) =>
  t.field({
    type: EvaluationRef,
    nullable: true,
    description: "The enterprise's valid credit evaluation, if any (at most one, across all associations).",
    resolve: ({ uscc }, _a, context) => validEvaluationOf(context, uscc),
  }),
);

builder.objectField(StandingRef, "associations", (t) =>
  t.field({
    type: [AssociationStandingRef],
    description: "Every association the enterprise is a member of or that keeps credit records about it.",
    resolve: ({ uscc }, _args, context) => loadFiles(context, uscc),
  }),
);

owner.standingFindings(async (usccs, context) => {
  const byUscc = await Promise.all(usccs.map((u) => loadFiles(context, u)));
  const evaluations = await Promise.all(usccs.map((u) => validEvaluationOf(context, u)));
  return byUscc.map((files, i) => standingFindings(files, evaluations[i] ?? null));
});
