import type { Objection } from "../../../prisma/associations/generated/client.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { isUuid, requireText } from "../../sdk/validation.ts";
import { recordChanges } from "../feed.ts";
import { builder } from "../owner.ts";
import {
  ANSWER_DAYS,
  answerable,
  answerDueAt,
  answerEffects,
  answeredLate,
  answerShapeProblem,
  isOverdue,
  OBJECTION_OUTCOMES,
  objectable,
  statementTarget,
} from "../rules/objections.ts";
import { correction, retraction } from "../rules/revisions.ts";
import { CreditRecordChangesInput, CreditRecordRef, checkedCorrection, reviseRecordIn } from "./credit-record.ts";
import { accepted, refuse } from "./problems.ts";

const ObjectionStatusEnum = builder.enumType("ObjectionStatus", {
  values: ["OPEN", "CORRECTED", "UPHELD", "REMOVED"] as const,
  description:
    "OPEN until the owner answers: CORRECTED (the record was corrected), UPHELD (it stands), REMOVED (it was retracted).",
});

const ObjectionOutcomeEnum = builder.enumType("ObjectionOutcome", {
  values: OBJECTION_OUTCOMES,
});

export const ObjectionRef = builder.objectRef<Objection>("Objection");

ObjectionRef.implement({
  description: "An enterprise's objection to a record about it, and the owner's answer. Seen by the two of them.",
  ...subjectOf<Objection>((o) => ({ ownerId: o.ownerId, uscc: o.uscc }), { exists: "MEMBER" }),
  fields: (t) => ({
    id: t.exposeID("id", classified("MEMBER")),
    record: t.field({
      type: CreditRecordRef,
      nullable: true,
      ...classified("MEMBER"),
      resolve: (o, _a, { db }) => db.creditRecord.findUnique({ where: { id: o.recordId } }),
    }),
    reason: t.exposeString("reason", classified("MEMBER")),
    filedAt: t.field({ type: "DateTime", ...classified("MEMBER"), resolve: (o) => o.filedAt }),
    dueAt: t.field({ type: "DateTime", ...classified("MEMBER"), resolve: (o) => o.dueAt }),
    status: t.field({ type: ObjectionStatusEnum, ...classified("MEMBER"), resolve: (o) => o.status }),
    overdue: t.boolean({
      description: `Still open more than ${ANSWER_DAYS} days after it was filed.`,
      ...classified("MEMBER"),
      resolve: (o, _a, { now }) => isOverdue(o, now()),
    }),
    answer: t.exposeString("answer", { nullable: true, ...classified("MEMBER") }),
    answeredAt: t.field({ type: "DateTime", nullable: true, ...classified("MEMBER"), resolve: (o) => o.answeredAt }),
  }),
});

builder.objectField(CreditRecordRef, "objections", (t) =>
  t.field({
    type: [ObjectionRef],
    description: "Objections to this record, newest first.",
    ...classified("MEMBER"),
    resolve: (r, _a, { db }) => db.objection.findMany({ where: { recordId: r.id }, orderBy: { filedAt: "desc" } }),
  }),
);

builder.queryField("objections", (t) =>
  t.field({
    type: [ObjectionRef],
    description:
      "For an association: objections to its records. For an enterprise: the objections it filed. Oldest due first.",
    args: {
      status: t.arg({ type: ObjectionStatusEnum }),
      overdueOnly: t.arg.boolean({ defaultValue: false, description: "Only open objections past their due date." }),
    },
    resolve: (_root, args, { caller, db, now }) => {
      const org = requireOrganisation(caller);
      const whose = org.organisationType === "ENTERPRISE" ? { uscc: org.uscc ?? "" } : { ownerId: org.organisationId };
      return db.objection.findMany({
        where: {
          ...whose,
          ...(args.overdueOnly ? { status: "OPEN", dueAt: { lt: now() } } : args.status ? { status: args.status } : {}),
        },
        orderBy: { dueAt: "asc" },
      });
    },
  }),
);

const AnswerObjectionInput = builder.inputType("AnswerObjectionInput", {
  fields: (t) => ({
    objectionId: t.id({ required: true }),
    outcome: t.field({ type: ObjectionOutcomeEnum, required: true }),
    reason: t.string({ required: true, description: "The written reason, shown to the enterprise." }),
    changes: t.field({ type: CreditRecordChangesInput, description: "With CORRECTED: the corrected fields." }),
  }),
});

builder.mutationFields((t) => ({
  objectToCreditRecord: t.field({
    type: ObjectionRef,
    description: `The calling enterprise objects to a record about it. The record shows as disputed at once; its owner must answer within ${ANSWER_DAYS} days.`,
    args: { recordId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_root, args, { caller, db, now, audit }) => {
      const enterprise = requireOrganisation(caller);
      const reason = requireText(args.reason, "reason");
      const recordId = String(args.recordId);
      return db.$transaction(async (tx) => {
        const found = isUuid(recordId) ? await tx.creditRecord.findUnique({ where: { id: recordId } }) : null;
        const record = accepted(objectable(found, enterprise.uscc, recordId));
        const filedAt = now();
        const objection = await tx.objection.create({
          data: {
            recordId,
            ownerId: record.ownerId,
            uscc: record.uscc,
            reason,
            filedAt,
            dueAt: answerDueAt(filedAt),
          },
        });
        await tx.creditRecord.update({ where: { id: recordId }, data: { disputed: true } });
        await recordChanges(tx, [record], "DISPUTED", filedAt);
        await audit.write(
          tx,
          [changeEntry(record, "Objection", { objection: objection.id, record: recordId, reason }, "OBJECTION")],
          filedAt,
        );
        return objection;
      });
    },
  }),
  answerObjection: t.field({
    type: ObjectionRef,
    description:
      "The owning association answers an open objection: CORRECTED (with the corrected fields), UPHELD, or REMOVED (the record is retracted).",
    args: { input: t.arg({ type: AnswerObjectionInput, required: true }) },
    resolve: (_root, { input }, context) => {
      const association = requireOrganisation(context.caller);
      const reason = requireText(input.reason, "reason");
      const id = String(input.objectionId);
      refuse(answerShapeProblem(input.outcome, input.changes != null));
      const patch = input.changes ? checkedCorrection(input.changes) : null;
      const effects = answerEffects(input.outcome);
      return context.db.$transaction(async (tx) => {
        const found = isUuid(id) ? await tx.objection.findUnique({ where: { id } }) : null;
        const objection = accepted(answerable(found, association.organisationId, id));
        const at = context.now();
        const revision = { owner: association, id: objection.recordId, expectedVersion: null, reason };
        if (effects.corrects && patch)
          await reviseRecordIn(tx, context, { ...revision, change: correction(patch, at) });
        if (effects.retracts) await reviseRecordIn(tx, context, { ...revision, change: retraction });
        await tx.creditRecord.update({ where: { id: objection.recordId }, data: { disputed: false } });
        await recordChanges(tx, [{ ...objection, id: objection.recordId }], "RESOLVED", at);
        const answered = await tx.objection.update({
          where: { id },
          data: { status: input.outcome, answer: reason, answeredAt: at },
        });
        await context.audit.write(
          tx,
          [
            changeEntry(
              objection,
              "Objection",
              { objection: id, outcome: input.outcome, reason, late: answeredLate(objection, at) },
              "ANSWER",
            ),
          ],
          at,
        );
        return answered;
      });
    },
  }),
  attachStatement: t.field({
    type: CreditRecordRef,
    description:
      "The calling enterprise attaches its own explanation to a negative record about it; everyone who sees the record sees it.",
    args: { recordId: t.arg.id({ required: true }), statement: t.arg.string({ required: true }) },
    resolve: (_root, args, { caller, db, now, audit }) => {
      const enterprise = requireOrganisation(caller);
      const statement = requireText(args.statement, "statement");
      const recordId = String(args.recordId);
      return db.$transaction(async (tx) => {
        const found = isUuid(recordId) ? await tx.creditRecord.findUnique({ where: { id: recordId } }) : null;
        const record = accepted(statementTarget(found, enterprise.uscc, recordId));
        const updated = await tx.creditRecord.update({
          where: { id: recordId },
          data: { statement, statementAt: now() },
        });
        await audit.write(
          tx,
          [changeEntry(record, "CreditRecord.statement", { record: recordId }, "STATEMENT")],
          now(),
        );
        return updated;
      });
    },
  }),
}));
