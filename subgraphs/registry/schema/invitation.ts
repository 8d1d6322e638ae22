import type { Invitation } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { hasRole } from "../../../protocol/identity.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { isUniqueViolation } from "../../sdk/database.ts";
import { registryEntry } from "../audit.ts";
import { newApiKey, newInvitationCode, parseInvitationCode, secretMatches } from "../credentials.ts";
import { builder } from "../owner.ts";
import { IssuedApiKey } from "./api-key.ts";
import { enterpriseOf } from "./enterprise.ts";

/** How long an invitation can be accepted: long enough to reach the right person, short enough not to linger. */
const INVITATION_DAYS = 14;

const InvitationRef = builder.objectRef<Invitation>("Invitation").implement({
  description:
    "A one-time invitation for an enterprise to take its place on the hub: bound to its USCC, accepted once for its organisation and first key.",
  fields: (t) => ({
    id: t.exposeID("id", { nullable: false }),
    uscc: t.field({ type: "USCC", resolve: (i) => i.uscc }),
    expiresAt: t.field({ type: "DateTime", resolve: (i) => i.expiresAt }),
    acceptedAt: t.field({ type: "DateTime", nullable: true, resolve: (i) => i.acceptedAt }),
  }),
});

const IssuedInvitation = builder.objectRef<{ invitation: Invitation; code: string }>("IssuedInvitation").implement({
  fields: (t) => ({
    invitation: t.field({ type: InvitationRef, resolve: (r) => r.invitation }),
    code: t.exposeString("code", {
      description:
        "The code itself, shown once: hand it to the enterprise by a channel you trust (in person, its registered address). Whoever holds it becomes the enterprise on the hub.",
    }),
  }),
});

/** Said the same way whatever is wrong with a code, so a guess learns nothing. */
const unusable = () =>
  badInput("邀请码无效、已过期或已使用 / This invitation code is not valid, has expired or has been used.");

builder.mutationFields((t) => ({
  inviteEnterprise: t.field({
    type: IssuedInvitation,
    description:
      "An association's staff (or a hub operator) invite an enterprise in the directory that has no organisation on the hub yet: the code, given to the enterprise, makes its organisation and first key (acceptInvitation) without the operator.",
    args: { uscc: t.arg({ type: "USCC", required: true }) },
    resolve: async (_root, { uscc }, ctx) => {
      const { caller, db, audit, now } = ctx;
      const inviter = requireOrganisation(caller);
      const allowed =
        (inviter.organisationType === "ASSOCIATION" && hasRole(caller, "STAFF")) || hasRole(caller, "OPERATOR");
      if (!allowed)
        throw forbidden(
          "只有行业协会工作人员或平台运营方可以邀请企业 / Only association staff or a hub operator invite enterprises.",
        );
      if (!(await enterpriseOf(ctx, uscc)))
        throw notFound(
          `目录中没有企业 ${uscc}，请先登记 / The directory has no enterprise ${uscc}: register it first.`,
        );
      if (await db.organisation.findUnique({ where: { uscc } }))
        throw badInput(
          `企业 ${uscc} 已在平台上 / Enterprise ${uscc} already has its organisation on the hub; its admins issue further keys.`,
        );
      const fresh = newInvitationCode();
      const invitation = await db.$transaction(async (tx) => {
        const created = await tx.invitation.create({
          data: {
            id: fresh.id,
            uscc,
            invitedBy: inviter.organisationId,
            secretHash: fresh.secretHash,
            expiresAt: new Date(now().getTime() + INVITATION_DAYS * 86_400_000),
          },
        });
        await audit.write(
          tx,
          [
            registryEntry(
              "ENTERPRISE_INVITED",
              { organisationId: inviter.organisationId, uscc },
              { invitationId: created.id, expiresAt: created.expiresAt.toISOString() },
            ),
          ],
          now(),
        );
        return created;
      });
      return { invitation, code: fresh.key };
    },
  }),
  acceptInvitation: t.field({
    type: IssuedApiKey,
    description:
      "An enterprise accepts its invitation, signed in or not: the hub makes its organisation (under its directory name) and returns its first key, with the STAFF and ADMIN roles. The code works once.",
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, { code }, ctx) => {
      const { db, audit, now } = ctx;
      const parsed = parseInvitationCode(code);
      const invitation = parsed ? await db.invitation.findUnique({ where: { id: parsed.id } }) : null;
      if (
        !parsed ||
        !invitation ||
        !secretMatches(parsed.secret, invitation.secretHash) ||
        invitation.acceptedAt ||
        invitation.expiresAt.getTime() <= now().getTime()
      )
        throw unusable();
      const enterprise = await enterpriseOf(ctx, invitation.uscc);
      if (!enterprise) throw unusable();
      const key = newApiKey();
      try {
        return await db.$transaction(async (tx) => {
          // Accepted once: a second acceptance racing this one finds it taken and changes nothing.
          const taken = await tx.invitation.updateMany({
            where: { id: invitation.id, acceptedAt: null },
            data: { acceptedAt: now() },
          });
          if (taken.count !== 1) throw unusable();
          // The directory's name, unless another organisation already bears it (names are unique): then with the code.
          const named = await tx.organisation.findUnique({ where: { name: enterprise.name } });
          const organisation = await tx.organisation.create({
            data: {
              name: named ? `${enterprise.name}（${enterprise.uscc}）` : enterprise.name,
              type: "ENTERPRISE",
              uscc: enterprise.uscc,
            },
          });
          await tx.invitation.update({ where: { id: invitation.id }, data: { organisationId: organisation.id } });
          const apiKey = await tx.apiKey.create({
            data: {
              id: key.id,
              organisationId: organisation.id,
              label: "first key (invitation)",
              roles: ["STAFF", "ADMIN"],
              secretHash: key.secretHash,
              createdBy: invitation.invitedBy,
            },
          });
          await audit.write(
            tx,
            [
              registryEntry(
                "INVITATION_ACCEPTED",
                { organisationId: organisation.id, uscc: organisation.uscc },
                { invitationId: invitation.id, invitedBy: invitation.invitedBy, name: organisation.name },
              ),
              registryEntry(
                "API_KEY_ISSUED",
                { organisationId: organisation.id },
                { keyId: apiKey.id, label: apiKey.label, roles: apiKey.roles, expiresAt: null },
              ),
            ],
            now(),
          );
          return { apiKey, key: key.key };
        });
      } catch (error) {
        // The enterprise's organisation was made meanwhile (by the operator, or another invitation): this code is spent.
        if (isUniqueViolation(error)) throw unusable();
        throw error;
      }
    },
  }),
}));
