import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../gateway/create-gateway.ts";
import { registryClient } from "../gateway/registry-client.ts";
import { graphql } from "../hub/client.ts";
import { composeSupergraph } from "../hub/compose.ts";
import { readSettings } from "../operations/settings.ts";
import type { PrismaClient as RegistryClient } from "../prisma/registry/generated/client.ts";
import { cli } from "./support/cli.ts";
import { newUscc, startTestHub, type TestHub } from "./support/hub.ts";
import { captureLogs } from "./support/logs.ts";
import { ok } from "./support/scenes.ts";

/**
 * The registry under attack, through the real gateway with real keys: who may
 * write the enterprise directory and how a name is corrected, bounded and
 * clean text everywhere, literal name searches, identity-provider issuers that
 * cannot be squatted, keys that expire, and the registry's own audit chain.
 */

let t: TestHub;
let dataDir: string;
/** Moved forward only by the key-expiry test; the hub's clock is real time plus this. */
let offsetMs = 0;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "credit-hub-registry-"));
  t = await startTestHub({ dataDir, now: () => new Date(Date.now() + offsetMs) });
});
afterAll(async () => {
  await t?.close();
});

const registryDb = () => t.hub.subgraphs.registry?.db as RegistryClient;

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc name } }
`;
const RENAME = /* GraphQL */ `
  mutation ($uscc: USCC!, $name: String!, $reason: String!) {
    renameEnterprise(uscc: $uscc, name: $name, reason: $reason) { uscc name }
  }
`;
const NAME_OF = /* GraphQL */ `query ($uscc: USCC!) { enterprise(uscc: $uscc) { name } }`;
const SEARCH = /* GraphQL */ `query ($q: String!) { enterprises(nameContains: $q, first: 100) { uscc name } }`;
const ISSUE = /* GraphQL */ `
  mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) { key apiKey { id expiresAt expired } } }
`;

async function nameOf(uscc: string): Promise<string | null> {
  const r = await t.query<{ enterprise: { name: string } | null }>(NAME_OF, { uscc });
  return r.data?.enterprise?.name ?? null;
}

/** Registry audit entries of one kind, oldest first. */
async function registryEvents(event: string) {
  return registryDb().auditEntry.findMany({ where: { fields: { has: event } }, orderBy: { seq: "asc" } });
}

describe("who writes the enterprise directory", () => {
  it("when a bank, a regulator or an enterprise registers someone else's code, then FORBIDDEN and nothing is stored", async () => {
    const uscc = newUscc();
    for (const type of ["FINANCIAL", "REGULATOR", "ENTERPRISE"]) {
      const org = await t.organisation(type, type === "ENTERPRISE" ? { uscc: newUscc() } : {});
      const r = await t.query(
        REGISTER,
        { input: { uscc, name: "中国工商银行股份有限公司（伪）" } },
        { apiKey: org.key },
      );
      expect(r.errors?.[0]?.extensions?.code, type).toBe("FORBIDDEN");
      expect(r.errors?.[0]?.message).toMatch(/cannot register|only its own code/);
    }
    expect(await nameOf(uscc)).toBeNull();
  });

  it("when an association, a bureau, an industry body, the operator or the enterprise itself registers, then it is in the directory", async () => {
    for (const type of ["ASSOCIATION", "BUREAU", "INDUSTRY_BODY"]) {
      const org = await t.organisation(type);
      const uscc = newUscc();
      await ok(t, REGISTER, { input: { uscc, name: `登记测试 ${type}` } }, org.key);
      expect(await nameOf(uscc)).toBe(`登记测试 ${type}`);
    }
    const byOperator = newUscc();
    await ok(t, REGISTER, { input: { uscc: byOperator, name: "运营方登记有限公司" } }, t.operatorKey);
    const own = newUscc();
    const enterprise = await t.organisation("ENTERPRISE", { uscc: own });
    await ok(t, REGISTER, { input: { uscc: own, name: "自主登记有限公司" } }, enterprise.key);
    expect(await nameOf(own)).toBe("自主登记有限公司");
  });

  it("when a known code is registered again under another name, then it is refused saying so and the name is unchanged", async () => {
    const association = await t.organisation("ASSOCIATION");
    const other = await t.organisation("INDUSTRY_BODY");
    const uscc = newUscc();
    await ok(t, REGISTER, { input: { uscc, name: "真实名称有限公司" } }, association.key);
    const same = await t.query(REGISTER, { input: { uscc, name: "真实名称有限公司" } }, { apiKey: other.key });
    expect(same.data).toEqual({ registerEnterprise: { uscc, name: "真实名称有限公司" } });
    const r = await t.query(REGISTER, { input: { uscc, name: "冒名顶替有限公司" } }, { apiKey: other.key });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(/already registered as "真实名称有限公司".*renameEnterprise/);
    expect(await nameOf(uscc)).toBe("真实名称有限公司");
  });

  it("when the operator corrects a name with a reason, then the name changes and the registry's log keeps old, new and reason", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = newUscc();
    await ok(t, REGISTER, { input: { uscc, name: "错字名称有限公司" } }, association.key);
    const byAssociation = await t.query(
      RENAME,
      { uscc, name: "正确名称有限公司", reason: "营业执照核对" },
      { apiKey: association.key },
    );
    expect(byAssociation.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const noReason = await t.query(RENAME, { uscc, name: "正确名称有限公司", reason: "  " }, { apiKey: t.operatorKey });
    expect(noReason.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(noReason.errors?.[0]?.message).toMatch(/reason must not be empty/);
    expect(await nameOf(uscc)).toBe("错字名称有限公司");

    await ok(t, RENAME, { uscc, name: "正确名称有限公司", reason: "按营业执照更正" }, t.operatorKey);
    expect(await nameOf(uscc)).toBe("正确名称有限公司");
    const renamed = (await registryEvents("ENTERPRISE_RENAMED")).filter((e) => e.uscc === uscc);
    expect(renamed.map((e) => e.detail)).toEqual([
      { event: "ENTERPRISE_RENAMED", from: "错字名称有限公司", to: "正确名称有限公司", reason: "按营业执照更正" },
    ]);

    const enterprise = await t.organisation("ENTERPRISE", { uscc });
    await ok(t, RENAME, { uscc, name: "正确名称股份有限公司", reason: "改制" }, enterprise.key);
    expect(await nameOf(uscc)).toBe("正确名称股份有限公司");
  });
});

describe("text the registry accepts", () => {
  it("when a name is 200 KB long, then BAD_USER_INPUT says how long without echoing it", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = newUscc();
    const huge = "工".repeat(10) + "A".repeat(200 * 1024);
    const r = await t.query(REGISTER, { input: { uscc, name: huge } }, { apiKey: association.key });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // The gateway may stop a value this long before the registry sees it; either way it says how long, not what.
    expect(r.errors?.[0]?.message).toMatch(/name is 204810 characters long/);
    expect(JSON.stringify(r.errors).length).toBeLessThan(1000);
    expect(await nameOf(uscc)).toBeNull();
    const long = await t.query(REGISTER, { input: { uscc, name: "长".repeat(5000) } }, { apiKey: association.key });
    expect(long.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(long.errors?.[0]?.message).toBe("name is 5000 characters long; at most 200.");
    expect(await nameOf(uscc)).toBeNull();
  });

  it("when a name carries a NUL, another control character or a bidi override, then BAD_USER_INPUT names it", async () => {
    const association = await t.organisation("ASSOCIATION");
    for (const [bad, code] of [
      ["甲公司\u0000", "U+0000"],
      ["甲\u0007公司", "U+0007"],
      ["甲公司\u202E伪", "U+202E"],
    ] as const) {
      const uscc = newUscc();
      const r = await t.query(REGISTER, { input: { uscc, name: bad } }, { apiKey: association.key });
      expect(r.errors?.[0]?.extensions?.code, code).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message).toContain(`control character ${code}`);
    }
    const org = await t.query(
      `mutation ($n: String!) { createOrganisation(input: { name: $n, type: FINANCIAL }) { id } }`,
      { n: "银行\u0000" },
      { apiKey: t.operatorKey },
    );
    expect(org.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const label = await t.query(
      `mutation ($o: ID!) { issueApiKey(input: { organisationId: $o, label: "${"x".repeat(300)}", roles: [STAFF] }) { key } }`,
      { o: association.id },
      { apiKey: association.key },
    );
    expect(label.errors?.[0]?.message).toMatch(/label is 300 characters long; at most 100/);
  });

  it("when a refused value is long, then the error quotes only its first 32 characters", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = newUscc();
    await ok(t, REGISTER, { input: { uscc, name: "原名有限公司" } }, association.key);
    const long = `${"长".repeat(150)}有限公司`;
    const r = await t.query(REGISTER, { input: { uscc, name: long } }, { apiKey: association.key });
    expect(r.errors?.[0]?.message).toContain(`"${"长".repeat(32)}…"`);
    expect(r.errors?.[0]?.message).not.toContain(long);
  });

  it("when nameContains has a NUL, then BAD_USER_INPUT says so (enterprises and organisations)", async () => {
    const r = await t.query(SEARCH, { q: "有限\u0000公司" });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(/nameContains contains the control character U\+0000 at position 3/);
    const orgs = await t.query(`query ($q: String!) { organisations(nameContains: $q) { id } }`, { q: "\u0000\u0000" });
    expect(orgs.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const long = await t.query(SEARCH, { q: "x".repeat(5000) });
    expect(long.errors?.[0]?.message).toMatch(/nameContains is 5000 characters long; at most 100/);
  });

  it("when nameContains has % or _, then they match themselves only", async () => {
    const association = await t.organisation("ASSOCIATION");
    const tag = newUscc().slice(8, 14);
    const names = [`${tag}百分之100%公司`, `${tag}百分之1000公司`, `${tag}a_b公司`, `${tag}axb公司`, `${tag}a\\b公司`];
    for (const name of names) await ok(t, REGISTER, { input: { uscc: newUscc(), name } }, association.key);
    const found = async (q: string) =>
      ((await t.query<{ enterprises: { name: string }[] }>(SEARCH, { q })).data?.enterprises ?? []).map((e) => e.name);
    expect(await found(`${tag}百分之100%`)).toEqual([`${tag}百分之100%公司`]);
    expect(await found("100%")).toEqual([`${tag}百分之100%公司`]);
    expect(await found(`${tag}a_b`)).toEqual([`${tag}a_b公司`]);
    expect(await found(`${tag}a\\b`)).toEqual([`${tag}a\\b公司`]);
    expect(await found(`${tag}%`)).toEqual([]);
  });
});

describe("identity-provider issuers", () => {
  const PROVIDER = /* GraphQL */ `
    mutation ($i: RegisterIdentityProviderInput!) { registerIdentityProvider(input: $i) { id status issuer } }
  `;
  const ME = /* GraphQL */ `{ me { id } }`;

  async function provider() {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" }] });
    const sign = (issuer: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(issuer)
        .setAudience("credit-hub")
        .setSubject("staff-1")
        .setIssuedAt(Math.floor((Date.now() + offsetMs) / 1000))
        .setExpirationTime(Math.floor((Date.now() + offsetMs) / 1000) + 300)
        .sign(privateKey);
    return { jwks, sign };
  }

  const input = (organisationId: string, issuer: string, jwks: string) => ({
    i: { organisationId, issuer, audience: "credit-hub", jwks, roles: ["STAFF"] },
  });

  it("when an admin registers another's issuer first, then its tokens are refused until confirmed, and the real owner is not blocked", async () => {
    const squatter = await t.organisation("FINANCIAL");
    const owner = await t.organisation("FINANCIAL");
    const issuer = `https://login.${newUscc().toLowerCase()}.bank.example`;
    const fake = await provider();
    const real = await provider();

    const squat = await t.query<{ registerIdentityProvider: { status: string } }>(
      PROVIDER,
      input(squatter.id, issuer, fake.jwks),
      { apiKey: squatter.key },
    );
    expect(squat.data?.registerIdentityProvider.status).toBe("PENDING");
    const refused = await t.query(ME, {}, { headers: { authorization: `Bearer ${await fake.sign(issuer)}` } });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    // The real owner registers too (pending), and the operator, having checked, confirms the owner's.
    const mine = await ok<{ registerIdentityProvider: { id: string; status: string } }>(
      t,
      PROVIDER,
      input(owner.id, issuer, real.jwks),
      owner.key,
    );
    const confirmBySelf = await t.query(
      `mutation ($id: ID!) { confirmIdentityProvider(id: $id) { status } }`,
      { id: mine.registerIdentityProvider.id },
      { apiKey: owner.key },
    );
    expect(confirmBySelf.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const confirmed = await ok<{ confirmIdentityProvider: { status: string } }>(
      t,
      `mutation ($id: ID!) { confirmIdentityProvider(id: $id) { status } }`,
      { id: mine.registerIdentityProvider.id },
      t.operatorKey,
    );
    expect(confirmed.confirmIdentityProvider.status).toBe("LIVE");
    const signedIn = await t.query(ME, {}, { headers: { authorization: `Bearer ${await real.sign(issuer)}` } });
    expect(signedIn.data).toEqual({ me: { id: owner.id } });
    const stillRefused = await t.query(ME, {}, { headers: { authorization: `Bearer ${await fake.sign(issuer)}` } });
    expect(stillRefused.status).toBe(401);

    // A live issuer is held: neither the squatter's pending entry nor a new registration can take it.
    const again = await t.query(PROVIDER, input(squatter.id, issuer, fake.jwks), { apiKey: squatter.key });
    expect(again.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(again.errors?.[0]?.message).toMatch(/already held by a live identity provider/);
  });

  it("when a provider is revoked, then its issuer can be registered again and works", async () => {
    const org = await t.organisation("ASSOCIATION");
    const issuer = `https://idp.${newUscc().toLowerCase()}.example`;
    const first = await provider();
    const registered = await ok<{ registerIdentityProvider: { id: string; status: string } }>(
      t,
      PROVIDER,
      input(org.id, issuer, first.jwks),
      t.operatorKey,
    );
    expect(registered.registerIdentityProvider.status).toBe("LIVE");
    await ok(
      t,
      `mutation ($id: ID!) { revokeIdentityProvider(id: $id) { status } }`,
      { id: registered.registerIdentityProvider.id },
      org.key,
    );
    const second = await provider();
    const again = await ok<{ registerIdentityProvider: { status: string } }>(
      t,
      PROVIDER,
      input(org.id, issuer, second.jwks),
      t.operatorKey,
    );
    expect(again.registerIdentityProvider.status).toBe("LIVE");
    const signedIn = await t.query(ME, {}, { headers: { authorization: `Bearer ${await second.sign(issuer)}` } });
    expect(signedIn.data).toEqual({ me: { id: org.id } });
    const old = await t.query(ME, {}, { headers: { authorization: `Bearer ${await first.sign(issuer)}` } });
    expect(old.status).toBe(401);
  });

  it("when a token names an issuer with a NUL in it, then 401 UNAUTHENTICATED, not an internal error", async () => {
    const { sign } = await provider();
    const r = await t.query(
      ME,
      {},
      { headers: { authorization: `Bearer ${await sign("https://idp\u0000.example")}` } },
    );
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("API keys that expire", () => {
  it("when an expiry is in the past or too far ahead, then BAD_USER_INPUT", async () => {
    const bank = await t.organisation("FINANCIAL");
    for (const [at, message] of [
      [new Date(Date.now() - 60_000), /must be in the future/],
      [new Date(Date.now() + 3 * 366 * 86_400_000), /at most \d+ days/],
    ] as const) {
      const r = await t.query(
        ISSUE,
        { input: { organisationId: bank.id, label: "x", roles: ["STAFF"], expiresAt: at.toISOString() } },
        { apiKey: bank.key },
      );
      expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message).toMatch(message);
    }
  });

  it("when a key's expiry passes, then it is refused as UNAUTHENTICATED saying so, and listings show it", async () => {
    const bank = await t.organisation("FINANCIAL");
    const expiresAt = new Date(Date.now() + offsetMs + 3_600_000);
    const issued = await ok<{ issueApiKey: { key: string; apiKey: { id: string; expiresAt: string } } }>(
      t,
      ISSUE,
      {
        input: { organisationId: bank.id, label: "short-lived", roles: ["STAFF"], expiresAt: expiresAt.toISOString() },
      },
      bank.key,
    );
    expect(issued.issueApiKey.apiKey.expiresAt).toBe(expiresAt.toISOString());
    expect((await t.query(`{ me { id } }`, {}, { apiKey: issued.issueApiKey.key })).data).toEqual({
      me: { id: bank.id },
    });

    const listing = await cli(["keys", "list", "--organisation", bank.id, "--json"], {
      HUB_URL: t.url,
      HUB_API_KEY: bank.key,
    });
    expect(listing.code, listing.stderr).toBe(0);
    const listed = JSON.parse(listing.stdout) as { id: string; expiresAt: string | null; expired: boolean }[];
    expect(listed.find((k) => k.id === issued.issueApiKey.apiKey.id)).toMatchObject({
      expiresAt: expiresAt.toISOString(),
      expired: false,
    });

    offsetMs = 2 * 3_600_000;
    try {
      const r = await t.query(`{ me { id } }`, {}, { apiKey: issued.issueApiKey.key });
      expect(r.status).toBe(401);
      expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(r.errors?.[0]?.message).toMatch(new RegExp(`expired at ${expiresAt.toISOString()}`));
      const keys = await t.query<{ organisation: { apiKeys: { id: string; expired: boolean }[] } }>(
        `query ($id: ID!) { organisation(id: $id) { apiKeys { id expiresAt expired } } }`,
        { id: bank.id },
        { apiKey: bank.key },
      );
      expect(keys.data?.organisation.apiKeys.find((k) => k.id === issued.issueApiKey.apiKey.id)).toMatchObject({
        expired: true,
      });
    } finally {
      offsetMs = 0;
    }
  });
});

describe("credentials the gateway keeps for a while (REGISTRY_CACHE_SECONDS)", () => {
  it("when a key is revoked through another gateway, then that one refuses it at once and this one once the bound has passed", async () => {
    const { REGISTRY_CACHE_SECONDS } = readSettings(["REGISTRY_CACHE_SECONDS"]);
    expect(REGISTRY_CACHE_SECONDS).toBeGreaterThan(0);
    const signingKey = t.hub.signingKeys.privateKey;
    const subgraphs = Object.values(t.hub.subgraphs);
    // A second replica in front of the same owners, with the same key: what an operator runs behind a load balancer.
    const replica = await startGateway(
      {
        supergraph: composeSupergraph(),
        subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
        signingKey,
        registry: registryClient(t.hub.subgraphs.registry?.url ?? "", signingKey, {
          seconds: REGISTRY_CACHE_SECONDS,
          now: () => new Date(Date.now() + offsetMs),
        }),
      },
      { port: 0, host: "127.0.0.1" },
    );
    const ME = /* GraphQL */ `{ me { id } }`;
    try {
      const bank = await t.organisation("FINANCIAL");
      const issued = await ok<{ issueApiKey: { key: string; apiKey: { id: string } } }>(
        t,
        ISSUE,
        { input: { organisationId: bank.id, label: "loan system", roles: ["STAFF"] } },
        bank.key,
      );
      const key = issued.issueApiKey.key;
      expect((await t.query(ME, {}, { apiKey: key })).data).toEqual({ me: { id: bank.id } });
      const revoked = await graphql(
        replica.url,
        `mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
        { id: issued.issueApiKey.apiKey.id },
        { apiKey: bank.key },
      );
      expect(revoked.errors).toBeUndefined();
      expect((await graphql(replica.url, ME, {}, { apiKey: key })).errors?.[0]?.extensions?.code).toBe(
        "UNAUTHENTICATED",
      );
      // The stated bound, not a promise of staleness: within it this gateway may still take the key it checked.
      offsetMs += REGISTRY_CACHE_SECONDS * 1000 + 1;
      const after = await t.query(ME, {}, { apiKey: key });
      expect(after.status).toBe(401);
      expect(after.errors?.[0]?.message).toMatch(/revoked/);
    } finally {
      offsetMs = 0;
      await replica.close(0);
    }
  });
});

describe("the registry's audit chain", () => {
  it("when the registry's audit log cannot be written, then the change is not made either", async () => {
    const association = await t.organisation("ASSOCIATION");
    const db = registryDb();
    await db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION "refuse_audit"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION "refuse_audit"()`,
    );
    const uscc = newUscc();
    const logs = captureLogs();
    try {
      const r = await t.query(REGISTER, { input: { uscc, name: "半途企业有限公司" } }, { apiKey: association.key });
      expect(r.errors).toBeDefined();
      logs.restore();
      expect(logs.text()).toMatch(/disk full/);
      expect(logs.text()).not.toContain(uscc);
    } finally {
      logs.restore();
      await db.$executeRawUnsafe(`DROP TRIGGER "refuse_audit" ON "AuditEntry"`);
    }
    expect(await nameOf(uscc)).toBeNull();
  });

  it("when the registry changes, then each change is on its chain; nobody can edit the chain; audit:verify checks it", async () => {
    const uscc = newUscc();
    const association = await t.organisation("ASSOCIATION");
    const enterprise = await t.organisation("ENTERPRISE", { uscc });
    const bank = await t.organisation("FINANCIAL");
    await ok(t, REGISTER, { input: { uscc, name: "链上企业有限公司" } }, association.key);
    await ok(t, RENAME, { uscc, name: "链上企业股份有限公司", reason: "改制" }, t.operatorKey);
    const { giveConsent } = await ok<{ giveConsent: { id: string } }>(
      t,
      `mutation ($i: GiveConsentInput!) { giveConsent(input: $i) { id } }`,
      {
        i: {
          consumerId: bank.id,
          purpose: "LOAN_APPROVAL",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      enterprise.key,
    );
    await ok(t, `mutation ($id: ID!) { revokeConsent(id: $id) { id } }`, { id: giveConsent.id }, enterprise.key);
    const { issueApiKey } = await ok<{ issueApiKey: { apiKey: { id: string } } }>(
      t,
      `mutation ($o: ID!) { issueApiKey(input: { organisationId: $o, label: "batch", roles: [STAFF] }) { apiKey { id } } }`,
      { o: bank.id },
      bank.key,
    );
    await ok(t, `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: issueApiKey.apiKey.id }, bank.key);
    for (const status of ["SUSPENDED", "ACTIVE"])
      await ok(
        t,
        `mutation ($id: ID!, $s: OrganisationStatus!) { setOrganisationStatus(id: $id, status: $s) { status } }`,
        { id: bank.id, s: status },
        t.operatorKey,
      );

    const entries = await registryDb().auditEntry.findMany({ orderBy: { seq: "asc" } });
    const events = (about: (e: (typeof entries)[number]) => boolean) => entries.filter(about).map((e) => e.fields[0]);
    expect(events((e) => e.uscc === uscc)).toEqual([
      "ORGANISATION_CREATED",
      "ENTERPRISE_REGISTERED",
      "ENTERPRISE_RENAMED",
      "CONSENT_GIVEN",
      "CONSENT_REVOKED",
    ]);
    expect(events((e) => e.ownerId === bank.id)).toEqual([
      "ORGANISATION_CREATED",
      "API_KEY_ISSUED",
      "CONSENT_GIVEN",
      "CONSENT_REVOKED",
      "API_KEY_ISSUED",
      "API_KEY_REVOKED",
      "ORGANISATION_SUSPENDED",
      "ORGANISATION_REACTIVATED",
    ]);
    const given = entries.find((e) => e.fields[0] === "CONSENT_GIVEN" && e.uscc === uscc);
    expect(given).toMatchObject({ callerId: enterprise.id, callerType: "ENTERPRISE", action: "WRITE" });
    // The operator's own admission, at bootstrap, opens the chain.
    expect(entries[0]?.fields).toEqual(["ORGANISATION_CREATED"]);
    // The append-only trigger refuses (its message does not survive PGlite's driver adapter; the chain check below shows nothing changed).
    await expect(
      registryDb().$executeRawUnsafe(`UPDATE "AuditEntry" SET "purpose" = 'x' WHERE seq = 1`),
    ).rejects.toThrow();

    expect(await t.hub.subgraphs.registry?.checkpoint()).toMatchObject({ seq: entries.at(-1)?.seq });
    await t.stop();
    const verify = async () => {
      const run = await cli(["audit", "verify", "--data", dataDir, "--owner", "registry"], t.databaseEnv);
      return { code: run.code, stdout: `${run.stdout}${run.stderr}` };
    };
    const intact = await verify();
    expect(intact.stdout).toMatch(new RegExp(`registry: ${entries.length} entries, \\d+ checkpoints: chain intact\\.`));
    expect(intact.code).toBe(0);

    // Someone with the database's keys rewrites a rename's reason: the chain shows it.
    const { PrismaClient } = await import("../prisma/registry/generated/client.ts");
    const { openDatabase, databaseLocationFromEnv } = await import("../subgraphs/sdk/database.ts");
    const opened = await openDatabase(
      "registry",
      databaseLocationFromEnv("registry", dataDir, { ...process.env, ...t.databaseEnv }),
      (adapter) => new PrismaClient({ adapter }),
    );
    const renamed = entries.find((e) => e.fields[0] === "ENTERPRISE_RENAMED" && e.uscc === uscc);
    await opened.client.$executeRawUnsafe(`ALTER TABLE "AuditEntry" DISABLE TRIGGER ALL`);
    await opened.client.$executeRawUnsafe(
      `UPDATE "AuditEntry" SET "detail" = jsonb_set("detail", '{reason}', '"无"') WHERE seq = ${renamed?.seq}`,
    );
    await opened.client.$executeRawUnsafe(`ALTER TABLE "AuditEntry" ENABLE TRIGGER ALL`);
    await opened.close();
    const broken = await verify();
    expect(broken.stdout).toMatch(new RegExp(`registry: BROKEN at entry ${renamed?.seq}: content changed`));
    expect(broken.code).toBe(1);
  }, 180_000);
});
