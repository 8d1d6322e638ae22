import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { grant, memberWithRecord, ok } from "./support/scenes.ts";

/**
 * Sharing across owners: each field by its own owner's decision, grants and
 * consents managed through the API, and organisations signing in with their
 * own identity provider's JWTs.
 */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const PURPOSE = "LOAN_APPROVAL";

const RECORDS = /* GraphQL */ `
  query ($a: USCC!, $b: USCC!) {
    a: enterprise(uscc: $a) { creditRecords { polarity summary owner { id } } }
    b: enterprise(uscc: $b) { creditRecords { polarity summary owner { id } } }
  }
`;

describe("one answer, many owners", () => {
  it("when a query spans enterprises of two associations, then each field follows its own owner's grant", async () => {
    const first = await memberWithRecord(t);
    const second = await memberWithRecord(t);
    const bank = await t.organisation("FINANCIAL");
    await grant(t, first.association.key, { consumerOrganisationId: bank.id, classes: ["SHARED"] });
    const r = await t.query(RECORDS, { a: first.uscc, b: second.uscc }, { apiKey: bank.key, purpose: PURPOSE });
    // The second association grants nothing: the bank may not even know its record exists.
    expect(r.data).toEqual({
      a: { creditRecords: [{ polarity: "NEGATIVE", summary: null, owner: { id: first.association.id } }] },
      b: { creditRecords: [] },
    });
    const denied = (r.errors ?? []).map((e) => `${e.extensions?.code} ${e.path?.join(".")}`).sort();
    expect(denied).toEqual(["FORBIDDEN a.creditRecords.0.summary"]);
  });

  it("when one enterprise has records from two associations, then one list shows the granting owner's rows and leaves the other's out", async () => {
    const first = await memberWithRecord(t);
    const second = await memberWithRecord(t, { uscc: first.uscc });
    const bank = await t.organisation("FINANCIAL");
    await grant(t, second.association.key, { consumerOrganisationId: bank.id, classes: ["SHARED"] });
    const r = await t.query<{
      enterprise: { creditRecords: { polarity: string | null; owner: { id: string } | null }[] };
    }>(
      `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { polarity owner { id } } } }`,
      { u: first.uscc },
      { apiKey: bank.key, purpose: PURPOSE },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.enterprise.creditRecords).toEqual([{ polarity: "NEGATIVE", owner: { id: second.association.id } }]);
  });
});

describe("grants, managed by the owner", () => {
  it("when the owner grants to an organisation type, then every organisation of that type is covered and others are not", async () => {
    const { association, uscc } = await memberWithRecord(t);
    await grant(t, association.key, { consumerType: "REGULATOR", classes: ["SHARED"], purposes: ["SUPERVISION"] });
    const regulator = await t.organisation("REGULATOR");
    const bureau = await t.organisation("BUREAU");
    const Q = `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { polarity } } }`;
    const seen = await t.query(Q, { u: uscc }, { apiKey: regulator.key, purpose: "SUPERVISION" });
    expect(seen.data).toEqual({ enterprise: { creditRecords: [{ polarity: "NEGATIVE" }] } });
    const notSeen = await t.query(Q, { u: uscc }, { apiKey: bureau.key, purpose: "SUPERVISION" });
    expect(notSeen.data).toEqual({ enterprise: { creditRecords: [] } });
  });

  it("when a grant is revoked, then the very next request sees no record, and the owner's list shows it revoked", async () => {
    const { association, uscc } = await memberWithRecord(t);
    const bank = await t.organisation("FINANCIAL");
    const id = await grant(t, association.key, { consumerOrganisationId: bank.id });
    const Q = `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { polarity } } }`;
    const before = await t.query(Q, { u: uscc }, { apiKey: bank.key, purpose: PURPOSE });
    expect(before.data).toEqual({ enterprise: { creditRecords: [{ polarity: "NEGATIVE" }] } });
    await ok(t, `mutation ($id: ID!) { revokeAssociationAccess(id: $id) { revokedAt } }`, { id }, association.key);
    const after = await t.query(Q, { u: uscc }, { apiKey: bank.key, purpose: PURPOSE });
    expect(after.data).toEqual({ enterprise: { creditRecords: [] } });
    const list = await ok<{ associationSharingGrants: { id: string; revokedAt: string | null }[] }>(
      t,
      `{ associationSharingGrants { id revokedAt } }`,
      {},
      association.key,
    );
    expect(list.associationSharingGrants).toEqual([{ id, revokedAt: expect.any(String) }]);
  });

  it("when another association tries to revoke someone else's grant, then NOT_FOUND and the grant holds", async () => {
    const { association } = await memberWithRecord(t);
    const bank = await t.organisation("FINANCIAL");
    const id = await grant(t, association.key, { consumerOrganisationId: bank.id });
    const rival = await t.organisation("ASSOCIATION");
    const r = await t.query(
      `mutation ($id: ID!) { revokeAssociationAccess(id: $id) { id } }`,
      { id },
      { apiKey: rival.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const list = await ok<{ associationSharingGrants: { revokedAt: string | null }[] }>(
      t,
      `{ associationSharingGrants { revokedAt } }`,
      {},
      association.key,
    );
    expect(list.associationSharingGrants).toEqual([{ revokedAt: null }]);
  });

  it.each([
    [
      "both a consumer and a type",
      { consumerOrganisationId: "00000000-0000-4000-8000-000000000000", consumerType: "BUREAU" },
      /exactly one/,
    ],
    ["neither consumer nor type", {}, /exactly one/],
    ["no class", { consumerType: "BUREAU", classes: [] }, /at least one class/],
    ["an end in the past", { consumerType: "BUREAU", validUntil: "2020-01-01T00:00:00Z" }, /in the future/],
  ])("when a grant has %s, then BAD_USER_INPUT and nothing is stored", async (_kind, input, message) => {
    const association = await t.organisation("ASSOCIATION");
    const r = await t.query(
      `mutation ($i: GrantAssociationAccessInput!) { grantAssociationAccess(input: $i) { id } }`,
      { i: { classes: ["SHARED"], purposes: [PURPOSE], ...input } },
      { apiKey: association.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(message);
    const list = await ok<{ associationSharingGrants: unknown[] }>(
      t,
      `{ associationSharingGrants { id } }`,
      {},
      association.key,
    );
    expect(list.associationSharingGrants).toEqual([]);
  });

  it("when a bank tries to grant access to association data, then it is FORBIDDEN", async () => {
    const bank = await t.organisation("FINANCIAL");
    const r = await t.query(
      `mutation ($i: GrantAssociationAccessInput!) { grantAssociationAccess(input: $i) { id } }`,
      { i: { consumerType: "FINANCIAL", classes: ["SHARED"], purposes: [PURPOSE] } },
      { apiKey: bank.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("consent, managed by the enterprise", () => {
  it("when an enterprise gives, lists and revokes consent, then CONSENT data follows it request by request", async () => {
    const { association, uscc } = await memberWithRecord(t);
    const enterprise = await t.organisation("ENTERPRISE", { uscc });
    const bank = await t.organisation("FINANCIAL");
    await grant(t, association.key, { consumerOrganisationId: bank.id });
    const Q = `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { summary } } }`;
    const before = await t.query(Q, { u: uscc }, { apiKey: bank.key, purpose: PURPOSE });
    expect(before.errors?.[0]?.message).toMatch(/has not given you consent/);

    const given = await ok<{ giveConsent: { id: string; live: boolean } }>(
      t,
      `mutation ($i: GiveConsentInput!) { giveConsent(input: $i) { id live } }`,
      { i: { consumerId: bank.id, purpose: PURPOSE, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      enterprise.key,
    );
    expect(given.giveConsent.live).toBe(true);
    const during = await t.query(Q, { u: uscc }, { apiKey: bank.key, purpose: PURPOSE });
    expect(during.data).toEqual({ enterprise: { creditRecords: [{ summary: expect.stringContaining("逾期") }] } });

    const mine = await ok<{ consents: { id: string; purpose: string; consumer: { id: string } }[] }>(
      t,
      `{ consents { id purpose consumer { id } } }`,
      {},
      enterprise.key,
    );
    expect(mine.consents).toEqual([{ id: given.giveConsent.id, purpose: PURPOSE, consumer: { id: bank.id } }]);
    const theirs = await ok<{ consents: { uscc: string }[] }>(t, `{ consents { uscc } }`, {}, bank.key);
    expect(theirs.consents).toEqual([{ uscc }]);

    await ok(
      t,
      `mutation ($id: ID!) { revokeConsent(id: $id) { revokedAt } }`,
      { id: given.giveConsent.id },
      enterprise.key,
    );
    const after = await t.query(Q, { u: uscc }, { apiKey: bank.key, purpose: PURPOSE });
    expect(after.errors?.[0]?.message).toMatch(/has not given you consent/);
  });

  it("when consent is asked to last too long or is given to a non-user, then BAD_USER_INPUT", async () => {
    const enterprise = await t.organisation("ENTERPRISE", { uscc: newUscc() });
    const bank = await t.organisation("FINANCIAL");
    const other = await t.organisation("ENTERPRISE", { uscc: newUscc() });
    const GIVE = `mutation ($i: GiveConsentInput!) { giveConsent(input: $i) { id } }`;
    const tooLong = await t.query(
      GIVE,
      {
        i: {
          consumerId: bank.id,
          purpose: PURPOSE,
          expiresAt: new Date(Date.now() + 4 * 366 * 86_400_000).toISOString(),
        },
      },
      { apiKey: enterprise.key },
    );
    expect(tooLong.errors?.[0]?.message).toMatch(/at most/);
    const toEnterprise = await t.query(
      GIVE,
      { i: { consumerId: other.id, purpose: PURPOSE, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      { apiKey: enterprise.key },
    );
    expect(toEnterprise.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("when a bank tries to give consent on an enterprise's behalf, then it is FORBIDDEN", async () => {
    const bank = await t.organisation("FINANCIAL");
    const r = await t.query(
      `mutation ($i: GiveConsentInput!) { giveConsent(input: $i) { id } }`,
      { i: { consumerId: bank.id, purpose: PURPOSE, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      { apiKey: bank.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("signing in with an organisation's own identity provider", () => {
  async function bankWithProvider() {
    const bank = await t.organisation("FINANCIAL");
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "bank-2026", alg: "ES256", use: "sig" };
    const issuer = `https://idp.${bank.id}.bank.example`;
    await ok(
      t,
      `mutation ($i: RegisterIdentityProviderInput!) { registerIdentityProvider(input: $i) { id } }`,
      {
        i: {
          organisationId: bank.id,
          issuer,
          audience: "credit-hub",
          jwks: JSON.stringify({ keys: [jwk] }),
          roles: ["STAFF"],
        },
      },
      // An operator's registration is live at once; an admin's waits for an operator to confirm it.
      t.operatorKey,
    );
    const sign = (claims: Record<string, unknown> = {}, key = privateKey, aud = "credit-hub") =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "bank-2026" })
        .setIssuer(issuer)
        .setAudience(aud)
        .setSubject("loan-officer-7")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(key);
    return { bank, sign };
  }

  it("when a JWT from the registered provider is sent, then the caller acts as that organisation", async () => {
    const { bank, sign } = await bankWithProvider();
    const r = await t.query(`{ me { id type } }`, {}, { headers: { authorization: `Bearer ${await sign()}` } });
    expect(r.data).toEqual({ me: { id: bank.id, type: "FINANCIAL" } });
  });

  it("when the JWT is signed by another key, or for another audience, then 401 UNAUTHENTICATED", async () => {
    const { sign } = await bankWithProvider();
    const { privateKey: stranger } = await generateKeyPair("ES256");
    for (const token of [await sign({}, stranger), await sign({}, undefined, "someone-else")]) {
      const r = await t.query(`{ me { id } }`, {}, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(401);
      expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("when the JWT asks for a role its provider may not grant, then it is refused", async () => {
    const { sign } = await bankWithProvider();
    const r = await t.query(
      `{ me { id } }`,
      {},
      { headers: { authorization: `Bearer ${await sign({ roles: ["OPERATOR"] })}` } },
    );
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.message).toMatch(/no role/);
  });

  it("when a provider's keys include private material, then registering it is BAD_USER_INPUT", async () => {
    const bank = await t.organisation("FINANCIAL");
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const r = await t.query(
      `mutation ($i: RegisterIdentityProviderInput!) { registerIdentityProvider(input: $i) { id } }`,
      {
        i: {
          organisationId: bank.id,
          issuer: `https://idp.${bank.id}.example`,
          audience: "credit-hub",
          jwks: JSON.stringify({ keys: [await exportJWK(privateKey)] }),
          roles: ["STAFF"],
        },
      },
      { apiKey: bank.key },
    );
    expect(r.errors?.[0]?.message).toMatch(/public keys only/);
  });
});
