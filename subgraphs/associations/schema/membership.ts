import type { Membership } from "../../../prisma/associations/generated/client.ts";
import { badInput } from "../../../protocol/errors.ts";
import { classified, subjectOf } from "../../sdk/access.ts";
import { changeEntry } from "../../sdk/audit.ts";
import { requireKnownEnterprise, requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { assertNotFuture, isoDate, MAX_LABEL, optionalText, requireText } from "../../sdk/validation.ts";
import { builder, EnterpriseRef, OrganisationRef } from "../owner.ts";

export const MembershipStatusEnum = builder.enumType("MembershipStatus", {
  values: ["ACTIVE", "SUSPENDED", "ENDED"] as const,
});

export const MembershipRef = builder.objectRef<Membership>("Membership");

MembershipRef.implement({
  description:
    "An enterprise's membership of an association. Member rosters are public; the details are the member's and the association's.",
  ...subjectOf<Membership>((m) => ({ ownerId: m.ownerId, uscc: m.uscc }), { exists: "PUBLIC" }),
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false, ...classified("PUBLIC") }),
    association: t.field({ type: OrganisationRef, ...classified("PUBLIC"), resolve: (m) => ({ id: m.ownerId }) }),
    enterprise: t.field({ type: EnterpriseRef, ...classified("PUBLIC"), resolve: (m) => ({ uscc: m.uscc }) }),
    status: t.field({ type: MembershipStatusEnum, ...classified("PUBLIC"), resolve: (m) => m.status }),
    joinedOn: t.field({ type: "Date", ...classified("PUBLIC"), resolve: (m) => m.joinedOn }),
    leftOn: t.field({ type: "Date", nullable: true, ...classified("PUBLIC"), resolve: (m) => m.leftOn }),
    level: t.exposeString("level", {
      nullable: true,
      description: "Member grade, e.g. 会员, 理事单位.",
      ...classified("MEMBER"),
    }),
    endReason: t.exposeString("endReason", { nullable: true, ...classified("MEMBER") }),
  }),
});

builder.objectField(EnterpriseRef, "memberships", (t) =>
  t.field({
    type: [MembershipRef],
    description: "The enterprise's memberships of associations, past and present.",
    ...classified("PUBLIC"),
    resolve: ({ uscc }, _args, { db, loaders }) =>
      requestLoader(loaders, "memberships", async (usccs: readonly string[]) =>
        groupBy(
          usccs,
          await db.membership.findMany({ where: { uscc: { in: [...usccs] } }, orderBy: { joinedOn: "asc" } }),
          (m) => m.uscc,
        ),
      ).load(uscc),
  }),
);

builder.queryFields((t) => ({
  members: t.field({
    type: [MembershipRef],
    description: "The calling association's members.",
    args: { status: t.arg({ type: MembershipStatusEnum }) },
    resolve: (_root, { status }, { caller, db }) => {
      const association = requireOrganisation(caller);
      return db.membership.findMany({
        where: { ownerId: association.organisationId, ...(status ? { status } : {}) },
        orderBy: { joinedOn: "asc" },
      });
    },
  }),
}));

const AdmitMemberInput = builder.inputType("AdmitMemberInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    joinedOn: t.field({ type: "Date", required: true }),
    level: t.string(),
  }),
});

const EndMembershipInput = builder.inputType("EndMembershipInput", {
  fields: (t) => ({
    uscc: t.field({ type: "USCC", required: true }),
    leftOn: t.field({ type: "Date", required: true }),
    reason: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  admitMember: t.field({
    type: MembershipRef,
    description: "Registers an enterprise as a member of the calling association (or re-admits a former member).",
    args: { input: t.arg({ type: AdmitMemberInput, required: true }) },
    resolve: (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      // Membership is where an association's rights over an enterprise begin: only for one the directory knows.
      requireKnownEnterprise({ known }, input.uscc);
      assertNotFuture(input.joinedOn, now(), "joinedOn");
      const level = optionalText(input.level, "level", MAX_LABEL);
      const key = { ownerId: association.organisationId, uscc: input.uscc };
      const admit = db.$transaction(async (tx) => {
        const existing = await tx.membership.findUnique({ where: { ownerId_uscc: key } });
        if (existing && existing.status !== "ENDED")
          throw badInput(`${input.uscc} is already a member (${existing.status}) since ${isoDate(existing.joinedOn)}.`);
        const membership = existing
          ? await tx.membership.update({
              where: { id: existing.id },
              data: { status: "ACTIVE", joinedOn: input.joinedOn, level, leftOn: null, endReason: null },
            })
          : await tx.membership.create({ data: { ...key, joinedOn: input.joinedOn, level } });
        await audit.write(tx, [changeEntry(membership, "Membership", { admitted: membership.id })], now());
        return membership;
      });
      // Two admissions of the same member at once: the unique (association, enterprise) lets one through.
      return admit.catch((error) => {
        throw isUniqueViolation(error) ? badInput(`${input.uscc} is already a member.`) : error;
      });
    },
  }),
  endMembership: t.field({
    type: MembershipRef,
    description: "Ends a member's membership of the calling association.",
    args: { input: t.arg({ type: EndMembershipInput, required: true }) },
    resolve: (_root, { input }, { caller, db, now, audit, known }) => {
      const association = requireOrganisation(caller);
      requireKnownEnterprise({ known }, input.uscc);
      const reason = requireText(input.reason, "reason");
      assertNotFuture(input.leftOn, now(), "leftOn");
      return db.$transaction(async (tx) => {
        const existing = await tx.membership.findUnique({
          where: { ownerId_uscc: { ownerId: association.organisationId, uscc: input.uscc } },
        });
        if (!existing) throw badInput(`${input.uscc} is not a member of your association.`);
        if (existing.status === "ENDED")
          throw badInput(`The membership of ${input.uscc} already ended on ${isoDate(existing.leftOn)}.`);
        if (input.leftOn < existing.joinedOn)
          throw badInput(
            `leftOn (${isoDate(input.leftOn)}) is before the member joined (${isoDate(existing.joinedOn)}).`,
          );
        const ended = await tx.membership.update({
          where: { id: existing.id },
          data: { status: "ENDED", leftOn: input.leftOn, endReason: reason },
        });
        await audit.write(tx, [changeEntry(ended, "Membership", { ended: ended.id, reason })], now());
        return ended;
      });
    },
  }),
}));
