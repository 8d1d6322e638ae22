import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { SUBGRAPHS } from "../hub/subgraphs.ts";
import { HUB_TOKEN_HEADER } from "../protocol/headers.ts";
import { bodyHash, HUB_TOKEN_ISSUER, mintHubToken } from "../protocol/hub-token.ts";
import { ANONYMOUS } from "../protocol/identity.ts";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";

/**
 * A subgraph answers only requests the gateway signed for it and for that
 * exact body. Everything here goes straight to a subgraph, around the gateway.
 */

let t: TestHub;
let association: { id: string; key: string };
let uscc: string;

beforeAll(async () => {
  t = await sharedTestHub();
  association = await t.organisation("ASSOCIATION");
  uscc = newUscc();
  await t.query(
    `mutation ($u: USCC!) { registerEnterprise(input: { uscc: $u, name: "边界测试有限公司" }) { uscc } }`,
    { u: uscc },
    { apiKey: association.key },
  );
  await t.query(
    `mutation ($u: USCC!) { admitMember(input: { uscc: $u, joinedOn: "2024-01-01" }) { id } }`,
    { u: uscc },
    {
      apiKey: association.key,
    },
  );
});

const SERVICE = JSON.stringify({ query: "{ _service { sdl } }" });
const entities = () =>
  JSON.stringify({
    query: "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc } } }",
    variables: { r: [{ __typename: "Enterprise", uscc }] },
  });

function subgraphUrl(name: string): string {
  const url = t.hub.subgraphs[name]?.url;
  if (!url) throw new Error(`no subgraph ${name}`);
  return url;
}

async function post(name: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(subgraphUrl(name), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
  };
}

function asAssociation() {
  return {
    caller: {
      kind: "organisation" as const,
      organisationId: association.id,
      organisationType: "ASSOCIATION" as const,
      uscc: null,
      roles: ["STAFF" as const],
    },
    purpose: null,
    requestId: randomUUID(),
  };
}

function expectRefused(result: Awaited<ReturnType<typeof post>>) {
  expect(result.status).toBe(401);
  expect(result.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  expect(result.body.data).toBeUndefined();
}

describe.each(SUBGRAPHS.map((s) => s.name))("calling the %s subgraph directly", (name) => {
  it("when the gateway's token is for this subgraph and body, then it answers (the control case)", async () => {
    const token = await mintHubToken(t.hub.signingKeys.privateKey, name, SERVICE, asAssociation());
    const result = await post(name, SERVICE, { [HUB_TOKEN_HEADER]: token });
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ _service: { sdl: expect.stringContaining("type Enterprise") } });
  });

  it.each([
    ["_service", () => SERVICE],
    ["_entities", entities],
  ])("when %s is asked with no token, then UNAUTHENTICATED and no data", async (_op, body) => {
    expectRefused(await post(name, body()));
  });

  it("when identity headers are forged and no token is sent, then UNAUTHENTICATED", async () => {
    expectRefused(
      await post(name, entities(), {
        "x-api-key": association.key,
        "x-caller-organisation": association.id,
        "x-organisation-type": "ASSOCIATION",
        authorization: `Bearer ${association.key}`,
      }),
    );
  });

  it("when the token is signed by another key, then UNAUTHENTICATED", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const token = await mintHubToken(privateKey, name, entities(), asAssociation());
    expectRefused(await post(name, entities(), { [HUB_TOKEN_HEADER]: token }));
  });

  it("when the token was minted for another subgraph, then UNAUTHENTICATED", async () => {
    const body = entities();
    const other = name === "registry" ? "associations" : "registry"; // any subgraph but this one
    const token = await mintHubToken(t.hub.signingKeys.privateKey, other, body, asAssociation());
    const result = await post(name, body, { [HUB_TOKEN_HEADER]: token });
    expectRefused(result);
    expect(JSON.stringify(result.body)).toMatch(/another service/);
  });

  it("when the token has expired, then UNAUTHENTICATED", async () => {
    const body = entities();
    const past = Math.floor(Date.now() / 1000) - 600;
    const token = await new SignJWT({ bh: bodyHash(body), org: { type: "ASSOCIATION", uscc: null, roles: ["STAFF"] } })
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(HUB_TOKEN_ISSUER)
      .setAudience(name)
      .setSubject(association.id)
      .setJti(randomUUID())
      .setIssuedAt(past)
      .setExpirationTime(past + 30)
      .sign(t.hub.signingKeys.privateKey);
    const result = await post(name, body, { [HUB_TOKEN_HEADER]: token });
    expectRefused(result);
    expect(JSON.stringify(result.body)).toMatch(/expired/);
  });

  it("when a token is replayed, then the second use is UNAUTHENTICATED", async () => {
    const token = await mintHubToken(t.hub.signingKeys.privateKey, name, SERVICE, asAssociation());
    expect((await post(name, SERVICE, { [HUB_TOKEN_HEADER]: token })).status).toBe(200);
    const replay = await post(name, SERVICE, { [HUB_TOKEN_HEADER]: token });
    expectRefused(replay);
    expect(JSON.stringify(replay.body)).toMatch(/already been used/);
  });

  it("when the token was minted for an internal endpoint, then GraphQL refuses it", async () => {
    const token = await mintHubToken(t.hub.signingKeys.privateKey, name, SERVICE, {
      ...asAssociation(),
      scope: "credentials",
    });
    expectRefused(await post(name, SERVICE, { [HUB_TOKEN_HEADER]: token }));
  });

  it("when the body differs from the one the token was minted for, then UNAUTHENTICATED", async () => {
    const token = await mintHubToken(t.hub.signingKeys.privateKey, name, SERVICE, asAssociation());
    const result = await post(name, entities(), { [HUB_TOKEN_HEADER]: token });
    expectRefused(result);
    expect(JSON.stringify(result.body)).toMatch(/does not match/);
  });
});

describe("the registry's credential endpoint", () => {
  it("when it is called with a token that lacks its scope, then UNAUTHENTICATED", async () => {
    const body = JSON.stringify({ apiKey: association.key });
    const token = await mintHubToken(t.hub.signingKeys.privateKey, "registry", body, {
      caller: ANONYMOUS,
      purpose: null,
      requestId: randomUUID(),
    });
    const response = await fetch(subgraphUrl("registry").replace("/graphql", "/internal/credentials"), {
      method: "POST",
      headers: { "content-type": "application/json", [HUB_TOKEN_HEADER]: token },
      body,
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(association.id);
  });
});
