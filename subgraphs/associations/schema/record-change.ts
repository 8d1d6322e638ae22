import type { CreditRecord, RecordChange } from "../../../prisma/associations/generated/client.ts";
import { badInput, forbidden } from "../../../protocol/errors.ts";
import { grantCovers, grantIsLive } from "../../sdk/access.ts";
import { builder, EnterpriseRef } from "../owner.ts";
import { sharedChange } from "../rules/retention.ts";
import { CreditRecordRef } from "./credit-record.ts";

const RecordChangeKindEnum = builder.enumType("RecordChangeKind", {
  values: ["NEW", "CORRECTED", "DISPUTED", "RESOLVED", "EXPIRED", "RETRACTED"] as const,
});

type Change = RecordChange & { record: CreditRecord | null };

const RecordChangeRef = builder.objectRef<Change>("RecordChange").implement({
  description: "One change to a credit record shared with the caller, in the order the changes were committed.",
  fields: (t) => ({
    cursor: t.string({
      nullable: false,
      description: "Resume the feed after this change.",
      resolve: (c) => c.seq.toString(),
    }),
    kind: t.field({ type: RecordChangeKindEnum, resolve: (c) => c.kind as never }),
    at: t.field({ type: "DateTime", resolve: (c) => c.at }),
    recordId: t.exposeID("recordId"),
    enterprise: t.field({ type: EnterpriseRef, resolve: (c) => ({ uscc: c.uscc }) }),
    record: t.field({
      type: CreditRecordRef,
      nullable: true,
      description: "The record as it is now (each field as its class allows); null once purged.",
      resolve: (c) => c.record,
    }),
    signed: t.string({
      nullable: false,
      description:
        "The change and the record's SHARED fields as they are now, signed by the associations subgraph for you alone (a JWS; verify with associationsAuditPublicKey). Hand it to the bureaus subgraph's importSharedRecords to keep the record with its source.",
      resolve: async (c, _args, { access, signatures, now }) => {
        const caller = access.caller;
        if (caller.kind !== "organisation") throw new Error("the feed is only for signed-in bureaus");
        access.note({ subject: { ownerId: c.ownerId, uscc: c.uscc }, field: "RecordChange.signed", allowed: true });
        return signatures.sign(sharedChange(c, c.record, now()), caller.organisationId);
      },
    }),
  }),
});

const RecordChangePageRef = builder
  .objectRef<{ changes: Change[]; endCursor: string | null; hasMore: boolean }>("RecordChangePage")
  .implement({
    fields: (t) => ({
      changes: t.field({ type: [RecordChangeRef], nullable: false, resolve: (p) => p.changes }),
      endCursor: t.string({
        nullable: true,
        description: "Pass as `after` to continue; stays put when there was nothing new.",
        resolve: (p) => p.endCursor,
      }),
      hasMore: t.boolean({ nullable: false, resolve: (p) => p.hasMore }),
    }),
  });

builder.queryField("sharedRecordChanges", (t) =>
  t.field({
    type: RecordChangePageRef,
    description:
      "For a bureau: every change (new, corrected, disputed, resolved, expired, retracted) to credit records of the associations that grant it SHARED access for the purpose it states, in commit order. Page with `after`; no change is skipped or repeated, however writes interleave.",
    args: {
      after: t.arg.string({ description: "A cursor from a previous page; from the beginning when left out." }),
      first: t.arg.int({ defaultValue: 100 }),
    },
    resolve: async (_root, args, { access, db }) => {
      const first = args.first ?? 100;
      if (first < 1 || first > 500) throw badInput("first must be between 1 and 500.");
      if (args.after != null && !/^\d{1,19}$/.test(args.after)) throw badInput("after is not a cursor from this feed.");
      if (!access.purpose) throw badInput("State your purpose (x-purpose), e.g. CREDIT_REPORTING.");
      const owners = [
        ...new Set(
          (await access.grants())
            .filter(
              (g) =>
                grantCovers(g, access.caller) &&
                grantIsLive(g, access.now) &&
                g.classes.includes("SHARED") &&
                g.purposes.includes(access.purpose as string),
            )
            .map((g) => g.ownerId),
        ),
      ];
      if (owners.length === 0) throw forbidden(`No association shares its records with you for ${access.purpose}.`);
      const rows = await db.recordChange.findMany({
        where: { ownerId: { in: owners }, ...(args.after ? { seq: { gt: BigInt(args.after) } } : {}) },
        orderBy: { seq: "asc" },
        take: first + 1,
      });
      const page = rows.slice(0, first);
      const records = await db.creditRecord.findMany({
        where: { id: { in: [...new Set(page.map((c) => c.recordId))] } },
      });
      const byId = new Map(records.map((r) => [r.id, r]));
      return {
        changes: page.map((c) => ({ ...c, record: byId.get(c.recordId) ?? null })),
        endCursor: page.at(-1)?.seq.toString() ?? args.after ?? null,
        hasMore: rows.length > first,
      };
    },
  }),
);
