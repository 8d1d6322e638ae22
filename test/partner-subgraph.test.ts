import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plastics } from "../examples/partner-association/schema/index.ts";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { SUPERGRAPH_CONFIG_FILE } from "../hub/supergraph-config.ts";
import { importHubPublicKey } from "../protocol/hub-token.ts";
import { printSubgraphSdl } from "../subgraphs/sdk/main.ts";
import { type RunningOwnerSubgraph, runSubgraph } from "../subgraphs/sdk/subgraph.ts";
import { newUscc, startTestHub, type TestHub, testDatabases } from "./support/hub.ts";
import { giveConsent, ok } from "./support/scenes.ts";

/**
 * A partner association federates its own data: the example subgraph in
 * examples/partner-association, built on the SDK alone, runs as the partner
 * would run it (its own server, its own database) and joins through a
 * supergraph config that lists it beside the hub's own subgraphs.
 */

const EXAMPLE = fileURLToPath(new URL("../examples/partner-association/", import.meta.url));
const PLASTICS_PART = "plastics associations' certificates";

let t: TestHub;
let partner: RunningOwnerSubgraph<unknown>;
let dropPartnerDb: () => Promise<void>;

beforeAll(async () => {
  const signingKeys = await loadOrCreateSigningKeys(null);
  const { databases, drop } = await testDatabases(["plastics"]);
  dropPartnerDb = drop;
  partner = (await runSubgraph(
    plastics,
    {
      database: databases.plastics as NonNullable<(typeof databases)[string]>,
      hubPublicKey: await importHubPublicKey(signingKeys.publicJwk),
      keysDir: null,
    },
    { port: 0, host: "127.0.0.1" },
  )) as RunningOwnerSubgraph<unknown>;

  // What the partner's operator does: add one entry to the supergraph config.
  const config = JSON.parse(readFileSync(SUPERGRAPH_CONFIG_FILE, "utf8")) as { subgraphs: object[] };
  // Naming its part in the standing check is all it takes for the registry's verdict to weigh it.
  config.subgraphs.push({
    name: "plastics",
    url: partner.url,
    sdl: join(EXAMPLE, "schema.graphql"),
    standing: PLASTICS_PART,
  });
  const configFile = join(mkdtempSync(join(tmpdir(), "credit-hub-partner-")), "supergraph.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  t = await startTestHub({ supergraphConfig: configFile, signingKeys });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await partner?.close();
  await dropPartnerDb?.();
});

const ISSUE = /* GraphQL */ `
  mutation ($i: IssueQualityCertificateInput!) { issueQualityCertificate(input: $i) { id product } }
`;
const READ = /* GraphQL */ `
  query ($u: USCC!) {
    enterprise(uscc: $u) {
      name
      plasticsCertificates { product level validUntil issuer { name } inspectionNote inspectorScore }
    }
  }
`;

type Read = {
  enterprise: {
    name: string;
    plasticsCertificates: {
      product: string;
      level: string;
      issuer: { name: string };
      inspectionNote: string | null;
      inspectorScore: number | null;
    }[];
  };
};

async function certifiedMember() {
  const association = await t.organisation("ASSOCIATION", { name: `长三角塑料制品行业协会 ${newUscc().slice(-6)}` });
  const uscc = newUscc();
  await ok(
    t,
    `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
    { i: { uscc, name: "嘉兴华塑包装有限公司" } },
    association.key,
  );
  await ok(
    t,
    ISSUE,
    {
      i: {
        uscc,
        product: "食品级 PET 瓶坯",
        level: "一级",
        validUntil: "2099-12-31",
        inspectionNote: "抽检 20 批次全部合格",
        inspectorScore: 93,
      },
    },
    association.key,
  );
  return { association, uscc };
}

const codeAt = (r: { errors?: { path?: readonly (string | number)[]; extensions?: { code?: unknown } }[] }) =>
  Object.fromEntries((r.errors ?? []).map((e) => [(e.path ?? []).slice(-1).join(), e.extensions?.code]));

describe("a partner's own subgraph, joined through the supergraph config", () => {
  it("when anyone asks about an enterprise, then one answer carries the registry's name and the partner's public fields, and its non-public fields are FORBIDDEN", async () => {
    const { uscc } = await certifiedMember();
    const r = await t.query<Read>(READ, { u: uscc });
    expect(r.data?.enterprise.name).toBe("嘉兴华塑包装有限公司");
    expect(r.data?.enterprise.plasticsCertificates).toEqual([
      {
        product: "食品级 PET 瓶坯",
        level: "一级",
        validUntil: "2099-12-31",
        issuer: { name: expect.stringMatching(/^长三角塑料制品行业协会/) },
        inspectionNote: null,
        inspectorScore: null,
      },
    ]);
    expect(codeAt(r)).toEqual({ inspectionNote: "FORBIDDEN", inspectorScore: "FORBIDDEN" });
  });

  it("when the partner grants a bank CONSENT and the enterprise consents, then the bank sees the note but never the internal score, and the read is in the partner's own audit log", async () => {
    const { association, uscc } = await certifiedMember();
    const bank = await t.organisation("FINANCIAL");
    const enterprise = await t.organisation("ENTERPRISE", { uscc });
    const asBank = { apiKey: bank.key, purpose: "LOAN_APPROVAL" };

    const before = await t.query<Read>(READ, { u: uscc }, asBank);
    expect(before.errors?.find((e) => e.path?.at(-1) === "inspectionNote")?.message).toMatch(/not granted you CONSENT/);

    await ok(
      t,
      `mutation ($i: GrantPlasticsAccessInput!) { grantPlasticsAccess(input: $i) { id } }`,
      { i: { consumerOrganisationId: bank.id, classes: ["SHARED", "CONSENT"], purposes: ["LOAN_APPROVAL"] } },
      association.key,
    );
    await giveConsent(t, enterprise.key, bank.id);
    const after = await t.query<Read>(READ, { u: uscc }, asBank);
    expect(after.data?.enterprise.plasticsCertificates[0]).toMatchObject({
      inspectionNote: "抽检 20 批次全部合格",
      inspectorScore: null,
    });
    expect(codeAt(after)).toEqual({ inspectorScore: "FORBIDDEN" });

    const own = await t.query<Read>(READ, { u: uscc }, { apiKey: association.key });
    expect(own.data?.enterprise.plasticsCertificates[0]?.inspectorScore).toBe(93);

    const history = await t.query<{
      enterprise: {
        plasticsAccessHistory: { events: { caller: { id: string }; decision: string; fields: string[] }[] };
      };
    }>(
      `query ($u: USCC!) { enterprise(uscc: $u) { plasticsAccessHistory { events { caller { id } decision fields } } } }`,
      { u: uscc },
      { apiKey: enterprise.key },
    );
    expect(history.errors).toBeUndefined();
    const bankEvents = history.data?.enterprise.plasticsAccessHistory.events.filter((e) => e.caller?.id === bank.id);
    expect(bankEvents?.map((e) => e.decision).sort()).toEqual(["DENIED", "DENIED", "RELEASED"]);
  });

  it("when the config names the partner's part in the standing check, then the registry's verdict weighs its findings: withheld without its grant, adverse once a certificate is withdrawn", async () => {
    const { association, uscc } = await certifiedMember();
    const bank = await t.organisation("FINANCIAL");
    const enterprise = await t.organisation("ENTERPRISE", { uscc });
    await giveConsent(t, enterprise.key, bank.id);
    const asBank = { apiKey: bank.key, purpose: "LOAN_APPROVAL" };
    const STANDING = /* GraphQL */ `
      query ($u: USCC!) { standing(uscc: $u, purpose: LOAN_APPROVAL) { plasticsFindings { code } goodStanding reasons concerns { code owner { name } } } }
    `;
    type Standing = {
      standing: {
        plasticsFindings: { code: string }[] | null;
        goodStanding: boolean | null;
        reasons: string[];
        concerns: { code: string; owner: { name: string } | null }[];
      };
    };

    const withheld = await t.query<Standing>(STANDING, { u: uscc }, asBank);
    expect(withheld.data?.standing.goodStanding).toBeNull();
    expect(withheld.data?.standing.reasons).toEqual([
      `未纳入判断：「${PLASTICS_PART}」未向您开放 / Not weighed: the ${PLASTICS_PART} are withheld from you.`,
    ]);

    await ok(
      t,
      `mutation ($i: GrantPlasticsAccessInput!) { grantPlasticsAccess(input: $i) { id } }`,
      { i: { consumerOrganisationId: bank.id, classes: ["CONSENT"], purposes: ["LOAN_APPROVAL"] } },
      association.key,
    );
    const clean = await t.query<Standing>(STANDING, { u: uscc }, asBank);
    expect(clean.errors).toBeUndefined();
    expect(clean.data?.standing).toMatchObject({ plasticsFindings: [], goodStanding: true });

    const certificate = await t.query<{ enterprise: { plasticsCertificates: { id: string }[] } }>(
      `query ($u: USCC!) { enterprise(uscc: $u) { plasticsCertificates { id } } }`,
      { u: uscc },
    );
    const id = certificate.data?.enterprise.plasticsCertificates[0]?.id;
    await ok(t, `mutation ($id: ID!) { withdrawQualityCertificate(id: $id) { withdrawn } }`, { id }, association.key);
    const adverse = await t.query<Standing>(STANDING, { u: uscc }, asBank);
    expect(adverse.errors).toBeUndefined();
    expect(adverse.data?.standing.goodStanding).toBe(false);
    expect(adverse.data?.standing.reasons).toEqual([
      expect.stringMatching(
        /^长三角塑料制品行业协会.*：食品级 PET 瓶坯 质量证书被撤销 \/ .*: Quality certificate for 食品级 PET 瓶坯 withdrawn\.$/,
      ),
    ]);
    // A partner's own code passes through to programs as it gave it.
    expect(adverse.data?.standing.concerns).toEqual([
      { code: "CERTIFICATE_WITHDRAWN", owner: { name: expect.stringMatching(/^长三角塑料制品行业协会/) } },
    ]);
  });

  it("when someone other than an association's staff issues a certificate, then it is FORBIDDEN and nothing is stored", async () => {
    const bank = await t.organisation("FINANCIAL");
    const uscc = newUscc();
    const r = await t.query(
      ISSUE,
      {
        i: { uscc, product: "x", level: "一级", validUntil: "2099-01-01", inspectionNote: "x", inspectorScore: 50 },
      },
      { apiKey: bank.key },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const read = await t.query<Read>(`query ($u: USCC!) { enterprise(uscc: $u) { plasticsCertificates { id } } }`, {
      u: uscc,
    });
    expect(read.data?.enterprise ?? { plasticsCertificates: [] }).toEqual({ plasticsCertificates: [] });
  });

  it("when called directly, without the hub's token, then the partner's subgraph refuses", async () => {
    const response = await fetch(partner.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
    });
    expect(response.status).toBe(401);
  });

  it("when the example is read, then it is built on the SDK and the protocol alone and its committed SDL is what its code prints", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.name === "generated"
          ? []
          : e.isDirectory()
            ? files(join(dir, e.name))
            : e.name.endsWith(".ts")
              ? [join(dir, e.name)]
              : [],
      );
    const sdk = fileURLToPath(new URL("../subgraphs/sdk/", import.meta.url));
    const protocol = fileURLToPath(new URL("../protocol/", import.meta.url));
    const outside: string[] = [];
    for (const file of files(EXAMPLE))
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)) {
        if (!spec?.startsWith(".")) continue;
        const target = resolve(dirname(file), spec);
        if (![EXAMPLE, sdk, protocol].some((allowed) => target.startsWith(allowed)))
          outside.push(`${relative(EXAMPLE, file)} → ${spec}`);
      }
    expect(outside).toEqual([]);
    // Compared as documents: this process may load a second copy of graphql whose printer lays directives out differently.
    const normal = (sdl: string) => print(parse(sdl));
    expect(normal(readFileSync(join(EXAMPLE, "schema.graphql"), "utf8"))).toBe(normal(printSubgraphSdl(plastics)));
  });
});
