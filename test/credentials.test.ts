import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";

/** API keys: issued by the operator or the organisation's admins, checked by the gateway with the registry. */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const ME = /* GraphQL */ `{ me { id name type } }`;
const ISSUE = /* GraphQL */ `
  mutation ($input: IssueApiKeyInput!) {
    issueApiKey(input: $input) { key apiKey { id roles } }
  }
`;

describe("signing in with an API key", () => {
  it("when a valid key is sent, then the caller acts as its organisation", async () => {
    const bank = await t.organisation("FINANCIAL");
    for (const headers of [{ "x-api-key": bank.key }, { authorization: `Bearer ${bank.key}` }] as Record<
      string,
      string
    >[]) {
      const r = await t.query(ME, {}, { headers });
      expect(r.data).toEqual({ me: { id: bank.id, name: bank.name, type: "FINANCIAL" } });
    }
  });

  it("when no key is sent, then the caller is anonymous", async () => {
    const r = await t.query(ME);
    expect(r.data).toEqual({ me: null });
  });

  it.each([
    ["not a key at all", "letmein"],
    ["a key with a wrong secret", "chk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("when the key is %s, then the request is refused with 401 UNAUTHENTICATED", async (_kind, key) => {
    const r = await t.query(ME, {}, { apiKey: key });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(r.data ?? null).toBeNull();
  });

  it("when a key is revoked, then it stops working on the next request", async () => {
    const bank = await t.organisation("FINANCIAL");
    const second = await t.query<{ issueApiKey: { key: string; apiKey: { id: string } } }>(
      ISSUE,
      { input: { organisationId: bank.id, label: "loan system", roles: ["STAFF"] } },
      { apiKey: bank.key },
    );
    const { key, apiKey } = second.data?.issueApiKey ?? { key: "", apiKey: { id: "" } };
    expect((await t.query(ME, {}, { apiKey: key })).data).toEqual({ me: expect.objectContaining({ id: bank.id }) });
    const revoked = await t.query(
      `mutation { revokeApiKey(id: "${apiKey.id}") { revokedAt } }`,
      {},
      { apiKey: bank.key },
    );
    expect(revoked.errors).toBeUndefined();
    const after = await t.query(ME, {}, { apiKey: key });
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.message).toMatch(/revoked/);
  });

  it("when an organisation is suspended, then its keys stop working until it is reactivated", async () => {
    const bureau = await t.organisation("BUREAU");
    const SET = /* GraphQL */ `mutation ($id: ID!, $s: OrganisationStatus!) { setOrganisationStatus(id: $id, status: $s) { status } }`;
    await t.query(SET, { id: bureau.id, s: "SUSPENDED" }, { apiKey: t.operatorKey });
    const suspended = await t.query(ME, {}, { apiKey: bureau.key });
    expect(suspended.errors?.[0]?.message).toMatch(/suspended/);
    await t.query(SET, { id: bureau.id, s: "ACTIVE" }, { apiKey: t.operatorKey });
    expect((await t.query(ME, {}, { apiKey: bureau.key })).data).toEqual({
      me: expect.objectContaining({ id: bureau.id }),
    });
  });

  it("when the purpose header is not a purpose code, then the request is refused as BAD_USER_INPUT", async () => {
    const r = await t.query(ME, {}, { purpose: "because I want to" });
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("managing organisations and keys", () => {
  it("when an organisation's admin lists its keys, then only hashes' metadata shows, never a secret", async () => {
    const association = await t.organisation("ASSOCIATION");
    const r = await t.query<{ me: { apiKeys: Record<string, unknown>[] } }>(
      `{ me { apiKeys { id label roles revokedAt } } }`,
      {},
      { apiKey: association.key },
    );
    expect(r.data?.me.apiKeys).toEqual([
      { id: expect.any(String), label: "test", roles: ["STAFF", "ADMIN"], revokedAt: null },
    ]);
    expect(association.key).toContain(r.data?.me.apiKeys[0]?.id);
  });

  it("when someone other than the operator admits an organisation, then it is FORBIDDEN", async () => {
    const association = await t.organisation("ASSOCIATION");
    const r = await t.query(
      `mutation { createOrganisation(input: { name: "rogue", type: BUREAU }) { id } }`,
      {},
      { apiKey: association.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const list = await t.query<{ organisations: { name: string }[] }>(`{ organisations { name } }`);
    expect(list.data?.organisations.map((o) => o.name)).not.toContain("rogue");
  });

  it("when an admin issues a key for another organisation, or an OPERATOR key, then it is FORBIDDEN", async () => {
    const a = await t.organisation("ASSOCIATION");
    const b = await t.organisation("ASSOCIATION");
    const other = await t.query(
      ISSUE,
      { input: { organisationId: b.id, label: "x", roles: ["STAFF"] } },
      { apiKey: a.key },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const operator = await t.query(
      ISSUE,
      { input: { organisationId: a.id, label: "x", roles: ["OPERATOR"] } },
      { apiKey: a.key },
    );
    expect(operator.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("when an enterprise organisation is admitted without its code, then BAD_USER_INPUT; a duplicate name is refused too", async () => {
    const missing = await t.query(
      `mutation { createOrganisation(input: { name: "无代码企业", type: ENTERPRISE }) { id } }`,
      {},
      { apiKey: t.operatorKey },
    );
    expect(missing.errors?.[0]?.message).toMatch(/Unified Social Credit Code/);
    const bank = await t.organisation("FINANCIAL");
    const duplicate = await t.query(
      `mutation ($name: String!) { createOrganisation(input: { name: $name, type: FINANCIAL }) { id } }`,
      { name: bank.name },
      { apiKey: t.operatorKey },
    );
    expect(duplicate.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(duplicate.errors?.[0]?.message).toMatch(/already exists/);
  });

  it("when an enterprise is registered twice under different names, then the second is refused and the first kept", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = newUscc();
    const REGISTER = /* GraphQL */ `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { name } }`;
    await t.query(REGISTER, { input: { uscc, name: "甲公司" } }, { apiKey: association.key });
    const again = await t.query(REGISTER, { input: { uscc, name: "甲公司" } }, { apiKey: association.key });
    expect(again.data).toEqual({ registerEnterprise: { name: "甲公司" } });
    const other = await t.query(REGISTER, { input: { uscc, name: "乙公司" } }, { apiKey: association.key });
    expect(other.errors?.[0]?.message).toMatch(/already registered as "甲公司"/);
    expect((await t.query(`{ enterprise(uscc: "${uscc}") { name } }`)).data).toEqual({
      enterprise: { name: "甲公司" },
    });
  });
});
