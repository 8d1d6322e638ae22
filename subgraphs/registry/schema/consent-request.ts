import { randomUUID } from "node:crypto";
import { readSettings } from "../../../operations/settings.ts";
import type { Consent, ConsentRequest, Prisma } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { MAX_CONSENT_OWNERS } from "../../../protocol/hub-token.ts";
import { purposeEnum } from "../../sdk/builder.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { isUuid } from "../../sdk/validation.ts";
import { registryEntry } from "../audit.ts";
import { builder, type RegistryContext, type RegistryDb } from "../owner.ts";
import { approvedUntil, consentHorizon, consentRequestState } from "../rules/consents.ts";
import { checkedText, quoted } from "../text.ts";
import { ConsentRef, consentReceipt, dataOwners, organisationsNamed } from "./consent.ts";
import { EnterpriseRef, enterpriseOf } from "./enterprise.ts";
import { findOrganisation, OrganisationRef } from "./organisation.ts";

type Row = ConsentRequest & { consent: Consent | null };

const Purpose = purposeEnum(builder);

const ConsentRequestStateEnum = builder.enumType("ConsentRequestState", {
  values: {
    PENDING: { description: "Waiting for the enterprise's answer (until answerBy)." },
    APPROVED: { description: "Approved; the consent it gave holds." },
    REJECTED: { description: "The enterprise said no." },
    EXPIRED: { description: "Not answered in time, or the consent it gave has run out." },
    REVOKED: { description: "Approved, then withdrawn by the enterprise." },
  } as const,
});

export const ConsentRequestRef = builder.objectRef<Row>("ConsentRequest").implement({
  description:
    "A data user's request that an enterprise consent to it seeing the enterprise's CONSENT-class data for one purpose. Seen by the enterprise and by the organisation that asked.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    uscc: t.field({ type: "USCC", resolve: (r) => r.uscc }),
    enterprise: t.field({ type: EnterpriseRef, nullable: true, resolve: (r, _a, ctx) => enterpriseOf(ctx, r.uscc) }),
    requester: t.field({
      type: OrganisationRef,
      nullable: true,
      resolve: (r, _a, { db }) => findOrganisation(db, r.requesterId),
    }),
    purpose: t.field({ type: Purpose, resolve: (r) => r.purpose }),
    owners: t.field({
      type: [OrganisationRef],
      description: "The owners whose data is asked for; empty when it is every owner's.",
      resolve: (r, _a, { db }) => organisationsNamed(db, r.ownerIds),
    }),
    days: t.exposeInt("days", { description: "How many days the consent is asked for, from approval." }),
    message: t.exposeString("message", { description: "What the requester tells the enterprise." }),
    createdAt: t.field({ type: "DateTime", resolve: (r) => r.createdAt }),
    answerBy: t.field({ type: "DateTime", description: "Unanswered by then, it lapses.", resolve: (r) => r.answerBy }),
    answeredAt: t.field({ type: "DateTime", nullable: true, resolve: (r) => r.answeredAt }),
    reason: t.string({
      nullable: true,
      description: "The enterprise's reason for a rejection.",
      resolve: (r) => r.reason,
    }),
    state: t.field({
      type: ConsentRequestStateEnum,
      resolve: (r, _a, { now }) => consentRequestState(r, r.consent, now()),
    }),
    consent: t.field({ type: ConsentRef, nullable: true, resolve: (r) => r.consent }),
  }),
});

const RequestConsentInput = builder.inputType("RequestConsentInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true, description: "The enterprise asked." }),
    purpose: t.field({ type: Purpose, required: true }),
    ownerIds: t.idList({
      required: false,
      description: `The owners (organisation ids) whose data you ask for, at most ${MAX_CONSENT_OWNERS}; left out or empty: every owner's.`,
    }),
    days: t.int({ required: true, description: "How many days, from approval, the consent should last." }),
    message: t.string({ required: true, description: "Why you ask, in words the enterprise will read." }),
  }),
});

const requestOf = (db: RegistryDb, id: string) =>
  isUuid(id) ? db.consentRequest.findUnique({ where: { id }, include: { consent: true } }) : Promise.resolve(null);

/** The request, if it was sent to the calling enterprise; any other answers as one that does not exist. */
async function receivedRequest(ctx: RegistryContext, id: string): Promise<Row> {
  const enterprise = requireOrganisation(ctx.caller);
  const request = await requestOf(ctx.db, id);
  if (!request || request.uscc !== enterprise.uscc)
    throw notFound(`没有发给您的同意请求 ${quoted(id)} / No consent request ${quoted(id)} was sent to you.`);
  if (consentRequestState(request, request.consent, ctx.now()) !== "PENDING")
    throw badInput(
      `该同意请求已${request.answer ? "答复" : "过期"}，不能再答复 / This consent request is already ${request.answer ? "answered" : "expired"}.`,
    );
  return request;
}

builder.queryField("consentRequests", (t) =>
  t.field({
    type: [ConsentRequestRef],
    description:
      "For an enterprise: the consent requests it received. For any other organisation: the ones it sent. Newest first.",
    args: {
      state: t.arg({ type: ConsentRequestStateEnum, required: false }),
      first: t.arg.int({ defaultValue: 50, description: "At most 200." }),
    },
    resolve: async (_root, { state, first: asked }, { caller, db, now }) => {
      const org = requireOrganisation(caller);
      const first = asked ?? 50;
      if (first < 1 || first > 200) throw badInput("first must be between 1 and 200.");
      const whose: Prisma.ConsentRequestWhereInput =
        org.organisationType === "ENTERPRISE" ? { uscc: org.uscc ?? "" } : { requesterId: org.organisationId };
      const rows: Row[] = await db.consentRequest.findMany({
        where: whose,
        include: { consent: true },
        orderBy: { createdAt: "desc" },
        // The state is derived from the clock; filter after reading, over a bounded window.
        take: state ? 1000 : first,
      });
      return (state ? rows.filter((r) => consentRequestState(r, r.consent, now()) === state) : rows).slice(0, first);
    },
  }),
);

builder.mutationFields((t) => ({
  requestConsent: t.field({
    type: ConsentRequestRef,
    description:
      "A data user asks an enterprise for consent to see its CONSENT-class data for one purpose; the enterprise answers with approveConsentRequest or rejectConsentRequest.",
    args: { input: t.arg({ type: RequestConsentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { db, audit, now } = ctx;
      const requester = requireOrganisation(ctx.caller);
      if (requester.organisationType === "ENTERPRISE" || requester.organisationType === "HUB")
        throw forbidden(
          `同意请求由数据使用方发出，而非 ${requester.organisationType} 机构 / Consent is asked for by data users, not by a ${requester.organisationType} organisation.`,
        );
      const { CONSENT_MAX_MONTHS, CONSENT_REQUEST_DAYS } = readSettings(["CONSENT_MAX_MONTHS", "CONSENT_REQUEST_DAYS"]);
      const longest = consentHorizon(now(), CONSENT_MAX_MONTHS).days;
      if (!Number.isInteger(input.days) || input.days < 1 || input.days > longest)
        throw badInput(
          `同意期限应为 1 至 ${longest} 天 / days must be from 1 to ${longest} (consents last at most ${CONSENT_MAX_MONTHS} months).`,
        );
      const message = checkedText(input.message, "message", "reason");
      const ownerIds = await dataOwners(db, input.ownerIds);
      if (!(await enterpriseOf(ctx, input.uscc)))
        throw notFound(`目录中没有企业 ${input.uscc} / The directory has no enterprise ${input.uscc}.`);
      return db.$transaction(async (tx) => {
        const created = await tx.consentRequest.create({
          data: {
            uscc: input.uscc,
            requesterId: requester.organisationId,
            purpose: input.purpose,
            ownerIds,
            days: input.days,
            message,
            answerBy: new Date(now().getTime() + CONSENT_REQUEST_DAYS * 86_400_000),
          },
          include: { consent: true },
        });
        await audit.write(
          tx,
          [
            registryEntry(
              "CONSENT_REQUESTED",
              { organisationId: requester.organisationId, uscc: input.uscc },
              { consentRequestId: created.id, purpose: created.purpose, days: created.days, ownerIds },
            ),
          ],
          now(),
        );
        return created;
      });
    },
  }),
  approveConsentRequest: t.field({
    type: ConsentRequestRef,
    description:
      "The calling enterprise approves a consent request it received, for the days asked or fewer: the consent holds from now, and its signed receipt is on the consent.",
    args: {
      id: t.arg.id({ required: true }),
      days: t.arg.int({ required: false, description: "Fewer days than asked, if you wish; left out: as asked." }),
    },
    resolve: async (_root, { id, days }, ctx) => {
      const { db, audit, now } = ctx;
      const request = await receivedRequest(ctx, String(id));
      const { CONSENT_MAX_MONTHS } = readSettings(["CONSENT_MAX_MONTHS"]);
      const approval = approvedUntil(request, { days }, now(), consentHorizon(now(), CONSENT_MAX_MONTHS).until);
      if ("problem" in approval) throw badInput(approval.problem);
      const terms = {
        id: randomUUID(),
        uscc: request.uscc,
        consumerId: request.requesterId,
        purpose: request.purpose,
        ownerIds: request.ownerIds,
        grantedAt: now(),
        expiresAt: approval.until,
      };
      // Signed before the transaction: its reads of names must not wait on the transaction's own connection.
      const receipt = await consentReceipt(ctx, terms, request.id);
      return db.$transaction(async (tx) => {
        const signed = await tx.consent.create({ data: { ...terms, receipt } });
        // Answered once: a second approval racing this one finds the request answered and changes nothing.
        const answered = await tx.consentRequest.updateMany({
          where: { id: request.id, answer: null },
          data: { answer: "APPROVED", answeredAt: now(), consentId: signed.id },
        });
        if (answered.count !== 1) throw badInput("This consent request is already answered.");
        await audit.write(
          tx,
          [
            registryEntry(
              "CONSENT_GIVEN",
              { organisationId: request.requesterId, uscc: request.uscc },
              {
                consentId: signed.id,
                consentRequestId: request.id,
                purpose: signed.purpose,
                expiresAt: signed.expiresAt.toISOString(),
              },
            ),
          ],
          now(),
        );
        return { ...request, answer: "APPROVED", answeredAt: now(), consentId: signed.id, consent: signed };
      });
    },
  }),
  rejectConsentRequest: t.field({
    type: ConsentRequestRef,
    description: "The calling enterprise rejects a consent request it received, with a reason if it wishes.",
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: async (_root, { id, reason }, ctx) => {
      const { db, audit, now } = ctx;
      const request = await receivedRequest(ctx, String(id));
      const why = reason == null ? null : checkedText(reason, "reason", "reason");
      return db.$transaction(async (tx) => {
        const answered = await tx.consentRequest.updateMany({
          where: { id: request.id, answer: null },
          data: { answer: "REJECTED", answeredAt: now(), reason: why },
        });
        if (answered.count !== 1) throw badInput("This consent request is already answered.");
        await audit.write(
          tx,
          [
            registryEntry(
              "CONSENT_REQUEST_REJECTED",
              { organisationId: request.requesterId, uscc: request.uscc },
              { consentRequestId: request.id, purpose: request.purpose },
            ),
          ],
          now(),
        );
        return { ...request, answer: "REJECTED", answeredAt: now(), reason: why };
      });
    },
  }),
}));
