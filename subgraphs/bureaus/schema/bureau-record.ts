import type { BureauRecord } from "../../../prisma/bureaus/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, assertOrder, MAX_LABEL, requireText } from "../../sdk/validation.ts";
import { type BureausContext, builder, EnterpriseRef, OrganisationRef } from "../owner.ts";

const BureauPolarityEnum = builder.enumType("BureauPolarity", { values: ["POSITIVE", "NEGATIVE"] as const });

export const BureauRecordRef = builder.objectRef<BureauRecord>("BureauRecord");

BureauRecordRef.implement({
  description:
    "A credit bureau's own record about an enterprise. That it exists and its kind are SHARED; what it says is CONSENT data.",
  ...subjectOf<BureauRecord>((r) => ({ ownerId: r.ownerId, uscc: r.uscc }), { exists: "SHARED" }),
  fields: (t) => ({
    id: t.exposeID("id", classified("SHARED")),
    owner: t.field({ type: OrganisationRef, ...classified("SHARED"), resolve: (r) => ({ id: r.ownerId }) }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (r) => ({ uscc: r.uscc }) }),
    polarity: t.field({ type: BureauPolarityEnum, ...classified("SHARED"), resolve: (r) => r.polarity }),
    category: t.exposeString("category", classified("SHARED")),
    occurredOn: t.field({ type: "Date", ...classified("SHARED"), resolve: (r) => r.occurredOn }),
    endedOn: t.field({ type: "Date", nullable: true, ...classified("SHARED"), resolve: (r) => r.endedOn }),
    summary: t.exposeString("summary", classified("CONSENT")),
    source: t.exposeString("source", classified("CONSENT")),
  }),
});

/** An enterprise's bureau records in force, newest first; one query for every enterprise of the request. */
export function activeBureauRecords({ read, loaders }: BureausContext, uscc: string): Promise<BureauRecord[]> {
  return requestLoader(loaders, "bureauRecords", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await read<BureauRecord>(
        `SELECT * FROM "BureauRecord" WHERE uscc = ANY($1) AND status = 'ACTIVE' ORDER BY "occurredOn" DESC, "createdAt" DESC`,
        [usccs],
      ),
      (r) => r.uscc,
    ),
  ).load(uscc);
}

builder.objectField(EnterpriseRef, "bureauRecords", (t) =>
  t.field({
    type: [BureauRecordRef],
    description: "Credit bureaus' own records about the enterprise; each field as its class allows.",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _args, context) => activeBureauRecords(context, uscc),
  }),
);

const RecordBureauEntryInput = builder.inputType("RecordBureauEntryInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    polarity: t.field({ type: BureauPolarityEnum, required: true }),
    category: t.string({ required: true, description: "e.g. JUDGMENT, TAX_ARREARS, HONOUR." }),
    summary: t.string({ required: true }),
    source: t.string({ required: true }),
    occurredOn: t.field({ type: "Date", required: true }),
    endedOn: t.field({ type: "Date" }),
  }),
});

builder.mutationField("recordBureauEntry", (t) =>
  t.field({
    type: BureauRecordRef,
    description: "The calling bureau records something it learnt about an enterprise.",
    args: { input: t.arg({ type: RecordBureauEntryInput, required: true }) },
    resolve: (_root, { input }, { caller, db, now, audit, known }) => {
      const bureau = requireOrganisation(caller);
      // A bureau records what it learnt about any enterprise (no membership), but only one the directory knows.
      requireKnownEnterprise({ known }, input.uscc);
      assertNotFuture(input.occurredOn, now(), "occurredOn");
      if (input.endedOn) assertNotFuture(input.endedOn, now(), "endedOn");
      assertOrder(input.occurredOn, input.endedOn ?? null, "occurredOn", "endedOn");
      return db.$transaction(async (tx) => {
        const record = await tx.bureauRecord.create({
          data: {
            ownerId: bureau.organisationId,
            uscc: input.uscc,
            polarity: input.polarity,
            category: requireText(input.category, "category", MAX_LABEL),
            summary: requireText(input.summary, "summary"),
            source: requireText(input.source, "source", MAX_LABEL),
            occurredOn: input.occurredOn,
            endedOn: input.endedOn ?? null,
          },
        });
        await audit.write(tx, [changeEntry(record, "BureauRecord", { recorded: record.id })], now());
        return record;
      });
    },
  }),
);
