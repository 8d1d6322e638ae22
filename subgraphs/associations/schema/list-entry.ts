import type { ListEntry } from "../../../prisma/associations/generated/client.ts";
import { notFound } from "../../../protocol/errors.ts";
import { classified, classifiedByRow, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, isUuid, quote, requireText } from "../../sdk/validation.ts";
import { type AssociationsContext, builder, EnterpriseRef, OrganisationRef } from "../owner.ts";
import {
  exitEligibleOn,
  exitReasonFor,
  LIST_KINDS,
  LIST_OBJECTION_DAYS,
  LIST_RULE,
  listAnswerProblem,
  listClass,
  listEntryDisputed,
  listingProblem,
  listObjectionDueAt,
  listObjectionProblem,
  removalProblem,
  removedOnObjection,
} from "../rules/lists.ts";
import { refuse } from "./problems.ts";

/**
 * Red (honours), black (serious dishonesty) and watch lists. Each entry says
 * why; the enterprise may object (the owner answers within 20 days, as for
 * records); a black- or watch-listed enterprise may leave the list by credit
 * repair once its period has passed.
 */

const byList = classifiedByRow<ListEntry>(listClass, LIST_RULE);

const ListKindEnum = builder.enumType("ListKind", {
  values: LIST_KINDS,
  description: "RED: honoured for keeping faith. BLACK: serious dishonesty. WATCH: under closer attention.",
});
const ListEntryStatusEnum = builder.enumType("ListEntryStatus", { values: ["ACTIVE", "EXITED"] as const });

export const ListEntryRef = builder.objectRef<ListEntry>("ListEntry").implement({
  description: "An enterprise on an association's red, black or watch list.",
  ...subjectOf<ListEntry>((e) => ({ ownerId: e.ownerId, uscc: e.uscc }), { exists: listClass, rule: LIST_RULE }),
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false, ...byList }),
    association: t.field({ type: OrganisationRef, ...byList, resolve: (e) => ({ id: e.ownerId }) }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (e) => ({ uscc: e.uscc }) }),
    list: t.field({ type: ListKindEnum, ...byList, resolve: (e) => e.list }),
    reason: t.exposeString("reason", byList),
    enteredOn: t.field({ type: "Date", ...byList, resolve: (e) => e.enteredOn }),
    exitEligibleOn: t.field({
      type: "Date",
      nullable: true,
      description: "From this day the enterprise may leave the list by credit repair.",
      ...byList,
      resolve: (e) => e.exitEligibleOn,
    }),
    status: t.field({ type: ListEntryStatusEnum, ...byList, resolve: (e) => e.status }),
    exitedOn: t.field({ type: "Date", nullable: true, ...byList, resolve: (e) => e.exitedOn }),
    exitReason: t.exposeString("exitReason", { nullable: true, ...byList }),
    disputed: t.boolean({
      description: "True while the enterprise's objection is unanswered.",
      ...byList,
      resolve: (e) => listEntryDisputed(e),
    }),
    objection: t.exposeString("objection", { nullable: true, ...classified("MEMBER") }),
    objectionDueAt: t.field({
      type: "DateTime",
      nullable: true,
      ...classified("MEMBER"),
      resolve: (e) => e.objectionDueAt,
    }),
    objectionAnswer: t.exposeString("objectionAnswer", { nullable: true, ...classified("MEMBER") }),
  }),
});

export function listEntriesOf({ read, loaders }: AssociationsContext, uscc: string): Promise<ListEntry[]> {
  return requestLoader(loaders, "listEntries", async (usccs: readonly string[]) =>
    groupBy(
      usccs,
      await read<ListEntry>(
        `SELECT * FROM "ListEntry" WHERE uscc = ANY($1) ORDER BY "enteredOn" DESC, "createdAt" DESC`,
        [usccs],
      ),
      (e) => e.uscc,
    ),
  ).load(uscc);
}

builder.objectField(EnterpriseRef, "listEntries", (t) =>
  t.field({
    type: [ListEntryRef],
    description:
      "The enterprise's places on associations' red, black and watch lists, newest first: red and black for anyone, watch only for whom it concerns.",
    ...classified("PUBLIC"),
    args: { activeOnly: t.arg.boolean({ defaultValue: true }) },
    resolve: async ({ uscc }, { activeOnly }, context) =>
      (await listEntriesOf(context, uscc)).filter((e) => !activeOnly || e.status === "ACTIVE"),
  }),
);

const AddToListInput = builder.inputType("AddToListInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    list: t.field({ type: ListKindEnum, required: true }),
    reason: t.string({ required: true }),
    enteredOn: t.field({ type: "Date", required: true }),
  }),
});

async function findEntry(
  db: { listEntry: Pick<AssociationsContext["db"]["listEntry"], "findUnique"> },
  id: string,
): Promise<ListEntry> {
  const found = isUuid(id) ? await db.listEntry.findUnique({ where: { id } }) : null;
  if (!found) throw notFound(`No list entry ${quote(id)}.`);
  return found;
}

builder.mutationFields((t) => ({
  addToList: t.field({
    type: ListEntryRef,
    description:
      "The calling association puts one of its members (or former members) on its red, black or watch list, saying why.",
    args: { input: t.arg({ type: AddToListInput, required: true }) },
    resolve: async (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      requireKnownEnterprise({ known }, input.uscc);
      const reason = requireText(input.reason, "reason");
      assertNotFuture(input.enteredOn, now(), "enteredOn");
      return db.$transaction(async (tx) => {
        const membership = await tx.membership.findUnique({
          where: { ownerId_uscc: { ownerId: association.organisationId, uscc: input.uscc } },
        });
        const already = membership
          ? await tx.listEntry.findFirst({
              where: { ownerId: association.organisationId, uscc: input.uscc, list: input.list, status: "ACTIVE" },
            })
          : null;
        refuse(listingProblem(input, membership, already));
        const entry = await tx.listEntry.create({
          data: {
            ownerId: association.organisationId,
            uscc: input.uscc,
            list: input.list,
            reason,
            enteredOn: input.enteredOn,
            exitEligibleOn: exitEligibleOn(input.list, input.enteredOn),
          },
        });
        await audit.write(tx, [changeEntry(entry, "ListEntry", { listed: entry.id, list: entry.list })], now());
        return entry;
      });
    },
  }),
  removeFromList: t.field({
    type: ListEntryRef,
    description:
      "The association takes an enterprise off a list. From the black and watch lists only once the repair period has passed, unless the entry was wrong (`listedInError`).",
    args: {
      id: t.arg.id({ required: true }),
      reason: t.arg.string({ required: true }),
      listedInError: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, { caller, db, now, audit }) => {
      const association = requireOrganisation(caller);
      const reason = requireText(args.reason, "reason");
      return db.$transaction(async (tx) => {
        const entry = await findEntry(tx, String(args.id));
        refuse(removalProblem(entry, association.organisationId, args.listedInError ?? false, now()));
        const exited = await tx.listEntry.update({
          where: { id: entry.id },
          data: {
            status: "EXITED",
            exitedOn: now(),
            exitReason: exitReasonFor(reason, args.listedInError ?? false),
          },
        });
        await audit.write(tx, [changeEntry(exited, "ListEntry", { exited: exited.id, reason })], now());
        return exited;
      });
    },
  }),
  objectToListEntry: t.field({
    type: ListEntryRef,
    description: `The enterprise objects to being on a list; the association answers within ${LIST_OBJECTION_DAYS} days.`,
    args: { id: t.arg.id({ required: true }), objection: t.arg.string({ required: true }) },
    resolve: async (_root, args, { caller, db, now, audit }) => {
      const enterprise = requireOrganisation(caller);
      const objection = requireText(args.objection, "objection");
      return db.$transaction(async (tx) => {
        const entry = await findEntry(tx, String(args.id));
        refuse(listObjectionProblem(entry, enterprise));
        const at = now();
        const objected = await tx.listEntry.update({
          where: { id: entry.id },
          data: {
            objection,
            objectedAt: at,
            objectionDueAt: listObjectionDueAt(at),
            objectionAnswer: null,
            objectionAnsweredAt: null,
          },
        });
        await audit.write(tx, [changeEntry(objected, "ListEntry", { objected: entry.id }, "OBJECTION")], at);
        return objected;
      });
    },
  }),
  answerListObjection: t.field({
    type: ListEntryRef,
    description: "The association answers the enterprise's objection: the entry stands (`removed: false`) or goes.",
    args: {
      id: t.arg.id({ required: true }),
      answer: t.arg.string({ required: true }),
      removed: t.arg.boolean({ required: true }),
    },
    resolve: async (_root, args, { caller, db, now, audit }) => {
      const association = requireOrganisation(caller);
      const answer = requireText(args.answer, "answer");
      return db.$transaction(async (tx) => {
        const entry = await findEntry(tx, String(args.id));
        refuse(listAnswerProblem(entry, association.organisationId));
        const at = now();
        const answered = await tx.listEntry.update({
          where: { id: entry.id },
          data: {
            objectionAnswer: answer,
            objectionAnsweredAt: at,
            ...(args.removed ? removedOnObjection(answer, at) : {}),
          },
        });
        await audit.write(
          tx,
          [changeEntry(answered, "ListEntry", { answered: entry.id, removed: args.removed }, "ANSWER")],
          at,
        );
        return answered;
      });
    },
  }),
}));
