import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importJWK, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./support/cli.ts";
import { associationsDb, sharedTestHub, type TestHub } from "./support/hub.ts";
import { grant, memberWithRecord, ok } from "./support/scenes.ts";

/**
 * The bank's side of consent: it asks, the enterprise answers, the registry
 * signs a receipt, and every owner's release cites the consent it relied on.
 * On this file's clock, so that consents can run out.
 */

let clock = Date.parse("2026-06-01T09:00:00Z");
let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub({ now: () => new Date(clock) });
});

const DAY = 86_400_000;

const REQUEST = /* GraphQL */ `
  mutation ($i: RequestConsentInput!) {
    requestConsent(input: $i) { id state days answerBy requester { id } }
  }
`;
const APPROVE = /* GraphQL */ `
  mutation ($id: ID!, $days: Int) {
    approveConsentRequest(id: $id, days: $days) { id state consent { id expiresAt receipt owners { id } } }
  }
`;
const REJECT = /* GraphQL */ `
  mutation ($id: ID!, $reason: String) { rejectConsentRequest(id: $id, reason: $reason) { id state reason } }
`;
const LIST = /* GraphQL */ `
  query ($s: ConsentRequestState) { consentRequests(state: $s) { id state purpose message uscc } }
`;
const STANDING = /* GraphQL */ `
  query ($u: USCC!) { standing(uscc: $u, purpose: LOAN_APPROVAL) { associationsFindings { code } } }
`;

/** A member with a negative record, its enterprise's own key, and a bank the association grants CONSENT data to. */
async function scene() {
  const member = await memberWithRecord(t);
  const enterprise = await t.organisation("ENTERPRISE", { uscc: member.uscc });
  const bank = await t.organisation("FINANCIAL");
  await grant(t, member.association.key, { consumerOrganisationId: bank.id });
  const ask = (input: Record<string, unknown> = {}) =>
    ok<{ requestConsent: { id: string; state: string; days: number } }>(
      t,
      REQUEST,
      {
        i: {
          uscc: member.uscc,
          purpose: "LOAN_APPROVAL",
          days: 180,
          message: "为授信审批 / for a credit line",
          ...input,
        },
      },
      bank.key,
    );
  const standing = () => t.query(STANDING, { u: member.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
  return { member, enterprise, bank, ask, standing };
}

describe("consent asked for and answered", () => {
  it("when the enterprise approves for fewer days than asked, then the bank's standing check succeeds and the owner's audit entry cites that consent", async () => {
    const { member, enterprise, bank, ask, standing } = await scene();
    const before = await standing();
    expect(before.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "CONSENT_MISSING" });

    const { requestConsent } = await ask();
    expect(requestConsent).toMatchObject({ state: "PENDING", days: 180 });
    const inbox = await ok<{ consentRequests: { id: string; state: string }[] }>(
      t,
      LIST,
      { s: "PENDING" },
      enterprise.key,
    );
    expect(inbox.consentRequests.map((r) => r.id)).toEqual([requestConsent.id]);

    const { approveConsentRequest } = await ok<{
      approveConsentRequest: { state: string; consent: { id: string; expiresAt: string; receipt: string } };
    }>(t, APPROVE, { id: requestConsent.id, days: 30 }, enterprise.key);
    expect(approveConsentRequest.state).toBe("APPROVED");
    expect(Date.parse(approveConsentRequest.consent.expiresAt)).toBe(clock + 30 * DAY);

    const before2 = await associationsDb(t).auditEntry.aggregate({ _max: { seq: true } });
    const after = await standing();
    expect(after.errors).toBeUndefined();
    expect(
      (after.data as { standing: { associationsFindings: unknown[] } }).standing.associationsFindings,
    ).toHaveLength(1);
    const released = await associationsDb(t).auditEntry.findMany({
      where: { uscc: member.uscc, callerId: bank.id, decision: "RELEASED", seq: { gt: before2._max.seq ?? 0n } },
    });
    expect(released.length).toBeGreaterThan(0);
    for (const entry of released) expect(entry.detail).toMatchObject({ consentId: approveConsentRequest.consent.id });

    const sent = await ok<{ consentRequests: { id: string; state: string }[] }>(t, LIST, {}, bank.key);
    expect(sent.consentRequests).toEqual([expect.objectContaining({ id: requestConsent.id, state: "APPROVED" })]);
  });

  it("when the request is rejected, lapses, or its consent runs out or is revoked, then the bank is refused with CONSENT_MISSING", async () => {
    const { enterprise, ask, standing } = await scene();
    const refused = async () => (await standing()).errors?.[0]?.extensions;

    const rejected = (await ask()).requestConsent;
    const r = await ok<{ rejectConsentRequest: { state: string; reason: string } }>(
      t,
      REJECT,
      { id: rejected.id, reason: "不再合作 / no longer working together" },
      enterprise.key,
    );
    expect(r.rejectConsentRequest).toMatchObject({
      state: "REJECTED",
      reason: "不再合作 / no longer working together",
    });
    expect(await refused()).toMatchObject({ code: "FORBIDDEN", reason: "CONSENT_MISSING" });

    const lapsing = (await ask()).requestConsent;
    const approvedLate = await (async () => {
      const saved = clock;
      clock += 31 * DAY; // past the 30 days a request waits for its answer
      try {
        const list = await ok<{ consentRequests: { id: string; state: string }[] }>(t, LIST, {}, enterprise.key);
        expect(list.consentRequests.find((x) => x.id === lapsing.id)?.state).toBe("EXPIRED");
        return await t.query(APPROVE, { id: lapsing.id }, { apiKey: enterprise.key });
      } finally {
        clock = saved;
      }
    })();
    expect(approvedLate.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    const shortLived = (await ask()).requestConsent;
    const approved = await ok<{ approveConsentRequest: { consent: { id: string } } }>(
      t,
      APPROVE,
      { id: shortLived.id, days: 1 },
      enterprise.key,
    );
    expect((await standing()).errors).toBeUndefined();
    const saved = clock;
    clock += 2 * DAY;
    try {
      expect(await refused()).toMatchObject({ code: "FORBIDDEN", reason: "CONSENT_MISSING" });
    } finally {
      clock = saved;
    }

    await ok(
      t,
      `mutation ($id: ID!) { revokeConsent(id: $id) { id } }`,
      { id: approved.approveConsentRequest.consent.id },
      enterprise.key,
    );
    expect(await refused()).toMatchObject({ code: "FORBIDDEN", reason: "CONSENT_MISSING" });
    const list = await ok<{ consentRequests: { id: string; state: string }[] }>(t, LIST, {}, enterprise.key);
    // (The lapsed one is pending again on this clock, set back to before its answerBy.)
    expect(Object.fromEntries(list.consentRequests.map((x) => [x.id, x.state]))).toEqual({
      [rejected.id]: "REJECTED",
      [lapsing.id]: "PENDING",
      [shortLived.id]: "REVOKED",
    });
  });

  it("when a consent covers another owner only, then this owner still refuses with CONSENT_MISSING", async () => {
    const { enterprise, ask, standing } = await scene();
    const elsewhere = await t.organisation("INDUSTRY_BODY");
    const { requestConsent } = await ask({ ownerIds: [elsewhere.id] });
    await ok(t, APPROVE, { id: requestConsent.id }, enterprise.key);
    expect((await standing()).errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "CONSENT_MISSING" });
  });

  it("when an enterprise consents to each of two owners apart, then each owner releases under its own consent and cites it", async () => {
    const { member, enterprise, bank, ask, standing } = await scene();
    const other = await memberWithRecord(t, { uscc: member.uscc });
    await grant(t, other.association.key, { consumerOrganisationId: bank.id });
    const consentIds: Record<string, string> = {};
    for (const owner of [member.association, other.association]) {
      const { requestConsent } = await ask({ ownerIds: [owner.id] });
      const approved = await ok<{ approveConsentRequest: { consent: { id: string } } }>(
        t,
        APPROVE,
        { id: requestConsent.id },
        enterprise.key,
      );
      consentIds[owner.id] = approved.approveConsentRequest.consent.id;
    }
    const since = await associationsDb(t).auditEntry.aggregate({ _max: { seq: true } });
    const r = await standing();
    expect(r.errors).toBeUndefined();
    expect((r.data as { standing: { associationsFindings: unknown[] } }).standing.associationsFindings).toHaveLength(2);
    const released = await associationsDb(t).auditEntry.findMany({
      where: { uscc: member.uscc, callerId: bank.id, decision: "RELEASED", seq: { gt: since._max.seq ?? 0n } },
    });
    expect(new Set(released.map((e) => e.ownerId))).toEqual(new Set(Object.keys(consentIds)));
    for (const entry of released) expect(entry.detail).toEqual({ consentId: consentIds[entry.ownerId ?? ""] });
  });

  it("when another enterprise, or the requester itself, answers a request, then it is not found and nothing changes", async () => {
    const { bank, ask, enterprise } = await scene();
    const stranger = (await scene()).enterprise;
    const { requestConsent } = await ask();
    for (const key of [stranger.key, bank.key]) {
      const approve = await t.query(APPROVE, { id: requestConsent.id }, { apiKey: key });
      expect(approve.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|FORBIDDEN/);
      const reject = await t.query(REJECT, { id: requestConsent.id }, { apiKey: key });
      expect(reject.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|FORBIDDEN/);
    }
    const strangerInbox = await ok<{ consentRequests: unknown[] }>(t, LIST, {}, stranger.key);
    expect(strangerInbox.consentRequests).toEqual([]);
    const inbox = await ok<{ consentRequests: { id: string; state: string }[] }>(t, LIST, {}, enterprise.key);
    expect(inbox.consentRequests).toEqual([expect.objectContaining({ id: requestConsent.id, state: "PENDING" })]);
  });

  it("when a request is malformed, then it is refused with what is wrong", async () => {
    const { ask, enterprise, member } = await scene();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ days: 0 }, "BAD_USER_INPUT", /days must be from 1/],
      [{ days: 400 }, "BAD_USER_INPUT", /at most 12 months/],
      [{ message: "" }, "BAD_USER_INPUT", /message/],
      [{ ownerIds: ["00000000-0000-4000-8000-000000000000"] }, "NOT_FOUND", /No data owner/],
    ];
    for (const [input, code, message] of cases) {
      const r = await t.query(
        REQUEST,
        { i: { uscc: member.uscc, purpose: "LOAN_APPROVAL", days: 30, message: "为授信审批", ...input } },
        { apiKey: (await t.organisation("FINANCIAL")).key },
      );
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
      expect(r.errors?.[0]?.message).toMatch(message);
    }
    const byEnterprise = await t.query(
      REQUEST,
      { i: { uscc: member.uscc, purpose: "LOAN_APPROVAL", days: 30, message: "自己请求自己" } },
      { apiKey: enterprise.key },
    );
    expect(byEnterprise.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const { requestConsent } = await ask({ days: 10 });
    const longer = await t.query(APPROVE, { id: requestConsent.id, days: 11 }, { apiKey: enterprise.key });
    expect(longer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(longer.errors?.[0]?.message).toMatch(/at most the 10 days asked/);
  });
});

describe("the consent receipt", () => {
  it("when a consent is given, then its receipt verifies with the registry's published key, and a changed byte does not", async () => {
    const { enterprise, bank, ask, member } = await scene();
    const { requestConsent } = await ask();
    const { approveConsentRequest } = await ok<{
      approveConsentRequest: { consent: { id: string; receipt: string } };
    }>(t, APPROVE, { id: requestConsent.id }, enterprise.key);
    const { registryAuditPublicKey } = await ok<{ registryAuditPublicKey: string }>(
      t,
      `{ registryAuditPublicKey }`,
      {},
      bank.key,
    );
    const key = await importJWK({ ...JSON.parse(registryAuditPublicKey), alg: "EdDSA" }, "EdDSA");
    const receipt = approveConsentRequest.consent.receipt;
    const { payload, protectedHeader } = await jwtVerify(receipt, key, { issuer: "registry", audience: bank.id });
    expect(protectedHeader.typ).toBe("consent-receipt+jwt");
    expect(payload).toMatchObject({
      jti: approveConsentRequest.consent.id,
      consentId: approveConsentRequest.consent.id,
      consentRequestId: requestConsent.id,
      enterprise: { uscc: member.uscc },
      consumer: { id: bank.id, name: bank.name },
      purpose: "LOAN_APPROVAL",
      owners: "ALL",
    });
    const [head, body, signature] = receipt.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
    const altered = `${head}.${Buffer.from(JSON.stringify({ ...claims, expiresAt: "2099-01-01T00:00:00.000Z" })).toString("base64url")}.${signature}`;
    await expect(jwtVerify(altered, key)).rejects.toThrow(/signature/i);

    // Offline, as the bank's credit officer would: the receipt and the key saved as files.
    const dir = mkdtempSync(join(tmpdir(), "receipt-"));
    const files = { key: join(dir, "registry.jwk.json"), good: join(dir, "good.jws"), bad: join(dir, "bad.json") };
    writeFileSync(files.key, registryAuditPublicKey);
    writeFileSync(files.good, receipt);
    writeFileSync(files.bad, JSON.stringify({ id: approveConsentRequest.consent.id, receipt: altered }));
    const good = await cli(["receipt", "verify", files.good, "--key", files.key]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Receipt verified/);
    expect(good.stdout).toContain(member.uscc);
    const bad = await cli(["receipt", "verify", files.bad, "--key", files.key]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/NOT verified: the signature does not match/);
  });
});

const INVITE = /* GraphQL */ `
  mutation ($u: USCC!) { inviteEnterprise(uscc: $u) { code invitation { uscc expiresAt acceptedAt } } }
`;
const ACCEPT = /* GraphQL */ `
  mutation ($c: String!) { acceptInvitation(code: $c) { key apiKey { roles } } }
`;

describe("an enterprise invited by its association", () => {
  it("when it accepts its association's invitation, then it answers a bank's consent request with its own key, no operator involved", async () => {
    const member = await memberWithRecord(t);
    const bank = await t.organisation("FINANCIAL");
    await grant(t, member.association.key, { consumerOrganisationId: bank.id });
    const { inviteEnterprise } = await ok<{ inviteEnterprise: { code: string; invitation: { uscc: string } } }>(
      t,
      INVITE,
      { u: member.uscc },
      member.association.key,
    );
    expect(inviteEnterprise.invitation.uscc).toBe(member.uscc);

    // Not signed in: the code is the enterprise's only credential until it has a key.
    const accepted = await t.query<{ acceptInvitation: { key: string; apiKey: { roles: string[] } } }>(ACCEPT, {
      c: inviteEnterprise.code,
    });
    expect(accepted.errors).toBeUndefined();
    const enterpriseKey = accepted.data?.acceptInvitation.key ?? "";
    expect(accepted.data?.acceptInvitation.apiKey.roles.sort()).toEqual(["ADMIN", "STAFF"]);
    const me = await ok<{ me: { type: string; uscc: string } }>(t, `{ me { type uscc } }`, {}, enterpriseKey);
    expect(me.me).toEqual({ type: "ENTERPRISE", uscc: member.uscc });

    const { requestConsent } = await ok<{ requestConsent: { id: string } }>(
      t,
      REQUEST,
      { i: { uscc: member.uscc, purpose: "LOAN_APPROVAL", days: 90, message: "为授信审批" } },
      bank.key,
    );
    await ok(t, APPROVE, { id: requestConsent.id }, enterpriseKey);
    const standing = await t.query(STANDING, { u: member.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
    expect(standing.errors).toBeUndefined();
  });

  it("when a code is used twice, guessed, or outlived by the enterprise joining, or a non-association invites, then it is refused", async () => {
    const member = await memberWithRecord(t);
    const first = await ok<{ inviteEnterprise: { code: string } }>(
      t,
      INVITE,
      { u: member.uscc },
      member.association.key,
    );
    const second = await ok<{ inviteEnterprise: { code: string } }>(
      t,
      INVITE,
      { u: member.uscc },
      member.association.key,
    );
    expect((await t.query(ACCEPT, { c: first.inviteEnterprise.code })).errors).toBeUndefined();
    const refused = [
      first.inviteEnterprise.code, // used
      second.inviteEnterprise.code, // the enterprise has its organisation now
      `${first.inviteEnterprise.code.slice(0, -1)}A`, // another secret
      "inv_0000000000000000_" + "A".repeat(43),
      "x".repeat(10_000),
    ];
    for (const code of refused) {
      const r = await t.query(ACCEPT, { c: code });
      expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message).toMatch(/not valid, has expired or has been used/);
    }
    const again = await t.query(INVITE, { u: member.uscc }, { apiKey: member.association.key });
    expect(again.errors?.[0]?.message).toMatch(/already has its organisation/);
    const bank = await t.organisation("FINANCIAL");
    const byBank = await t.query(INVITE, { u: (await memberWithRecord(t)).uscc }, { apiKey: bank.key });
    expect(byBank.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
