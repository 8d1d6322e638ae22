import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildASTSchema, parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { documentHash, readManifest } from "../gateway/trusted-documents.ts";
import { freePort, runTsx } from "../hub/spawn.ts";
import { cli as hub } from "./support/cli.ts";
import { sharedTestHub, type TestHub } from "./support/hub.ts";
import { bankWithGrant, memberWithRecord } from "./support/scenes.ts";

/**
 * `npm run hub -- <command>` as an operator runs it: talking to a running hub
 * with a real key, its output read as text, its exit status checked. The first
 * test runs the real program; the rest run the same command line in-process.
 */

let t: TestHub;
let as: (key: string) => Record<string, string>;
beforeAll(async () => {
  t = await sharedTestHub();
  as = (key) => ({ HUB_URL: t.url, HUB_API_KEY: key });
});

const ME = /* GraphQL */ `{ me { id name } }`;

describe("using the CLI", () => {
  it("when asked for help, then it lists every command; an unknown command or option exits 2 and says what is wrong", async () => {
    // The program itself: its exit status and streams are the process's.
    const program = (args: string[]) => runTsx(["cli/hub.ts", ...args]);
    const help = await program(["--help"]);
    expect(help.code).toBe(0);
    for (const c of [
      "organisations create",
      "keys issue",
      "keys revoke",
      "grants list",
      "grants revoke",
      "audit verify",
      "retention run",
      "supergraph compose",
    ])
      expect(help.stdout).toContain(c);
    const unknown = await program(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    const badOption = await hub(["keys", "issue", "--colour", "red"]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--colour'/);
  });

  it("when no key is given, or the hub is not there, then it says how to fix that", async () => {
    const noKey = await hub(["organisations", "list"], { HUB_URL: t.url });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/HUB_API_KEY/);
    const port = await freePort();
    const away = await hub(["organisations", "list"], {
      HUB_URL: `http://127.0.0.1:${port}/graphql`,
      HUB_API_KEY: t.operatorKey,
    });
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(/Cannot reach the hub at .*Is it running\?/);
    const forged = await hub(["organisations", "list"], as("chk_forged"));
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/\(UNAUTHENTICATED\)/);
  });
});

describe("organisations and keys", () => {
  it("when the operator admits a bank and issues it a key, then the key works at the gateway until it is revoked", async () => {
    const name = `CLI 测试银行 ${Date.now()}`;
    const created = await hub(
      ["organisations", "create", "--name", name, "--type", "financial", "--json"],
      as(t.operatorKey),
    );
    expect(created.code, created.stderr).toBe(0);
    const [organisation] = JSON.parse(created.stdout) as { id: string; type: string; status: string }[];
    expect(organisation).toMatchObject({ type: "FINANCIAL", status: "ACTIVE" });
    const listed = await hub(["organisations", "list", "--type", "FINANCIAL"], as(t.operatorKey));
    expect(listed.stdout).toContain(name);

    const issued = await hub(
      ["keys", "issue", "--organisation", organisation?.id ?? "", "--label", "loan system", "--roles", "staff,admin"],
      as(t.operatorKey),
    );
    expect(issued.code, issued.stderr).toBe(0);
    const key = issued.stdout.trim();
    expect(key).toMatch(/^chk_/);
    const me = await t.query<{ me: { name: string } }>(ME, {}, { apiKey: key });
    expect(me.data?.me.name).toBe(name);

    const keys = await hub(["keys", "list", "--organisation", organisation?.id ?? "", "--json"], as(t.operatorKey));
    const [row] = JSON.parse(keys.stdout) as { id: string; roles: string[]; revokedAt: string | null }[];
    expect(row).toMatchObject({ roles: ["STAFF", "ADMIN"], revokedAt: null });
    const revoked = await hub(["keys", "revoke", row?.id ?? ""], as(t.operatorKey));
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await t.query(ME, {}, { apiKey: key })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("when a caller who is not an operator tries to admit an organisation, then it is refused and the CLI exits 1", async () => {
    const bank = await t.organisation("FINANCIAL");
    const run = await hub(["organisations", "create", "--name", "不该存在", "--type", "BUREAU"], as(bank.key));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\(FORBIDDEN\)/);
    const badType = await hub(["organisations", "list", "--type", "BANK"], as(t.operatorKey));
    expect(badType.code).toBe(1);
    expect(badType.stderr).toMatch(/"BANK" does not exist in "OrganisationType" enum\. \(BAD_USER_INPUT\)/);
    const missing = await hub(["organisations", "create", "--type", "BUREAU"], as(t.operatorKey));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--name is required/);
  });

  it("when the operator suspends an organisation, then its keys stop working; reactivated, they work again", async () => {
    const bank = await t.organisation("FINANCIAL");
    expect((await hub(["organisations", "suspend", bank.id], as(t.operatorKey))).code).toBe(0);
    expect((await t.query(ME, {}, { apiKey: bank.key })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await hub(["organisations", "reactivate", bank.id], as(t.operatorKey))).code).toBe(0);
    expect((await t.query(ME, {}, { apiKey: bank.key })).errors).toBeUndefined();
  });
});

describe("grants", () => {
  const READ = /* GraphQL */ `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { polarity } } }`;

  it("when an association lists and revokes a grant, then the bank it was for sees no record on its next request", async () => {
    const member = await memberWithRecord(t);
    const bank = await bankWithGrant(t, member.association.key, ["SHARED"]);
    const before = await t.query(READ, { u: member.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
    expect(before.data).toEqual({ enterprise: { creditRecords: [{ polarity: "NEGATIVE" }] } });

    const listed = await hub(["grants", "list", "--json"], as(member.association.key));
    expect(listed.code, listed.stderr).toBe(0);
    const grants = JSON.parse(listed.stdout) as { id: string; owner: string; consumerOrganisationId: string }[];
    const granted = grants.find((g) => g.consumerOrganisationId === bank.id);
    expect(granted?.owner).toBe("associations");

    const revoked = await hub(["grants", "revoke", granted?.id ?? ""], as(member.association.key));
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await t.query(READ, { u: member.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
    expect(after.data).toEqual({ enterprise: { creditRecords: [] } });
  });

  it("when someone tries to revoke another owner's grant, or keeps no grants at all, then it exits 1 and nothing changes", async () => {
    const member = await memberWithRecord(t);
    const bank = await bankWithGrant(t, member.association.key, ["SHARED"]);
    const theirs = JSON.parse((await hub(["grants", "list", "--json"], as(member.association.key))).stdout) as {
      id: string;
    }[];
    const other = await t.organisation("ASSOCIATION");
    const run = await hub(["grants", "revoke", theirs[0]?.id ?? ""], as(other.key));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/made no grant/);
    const stillThere = await t.query(READ, { u: member.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
    expect(stillThere.data).toEqual({ enterprise: { creditRecords: [{ polarity: "NEGATIVE" }] } });
    const banks = await hub(["grants", "list"], as(bank.key));
    expect(banks.code).toBe(1);
    expect(banks.stderr).toMatch(/keeps no sharing grants/);
  });
});

describe("supergraph and trusted documents", () => {
  it("when the supergraph composes, then it is written whole; when a partner's SDL breaks it, then nothing is written and it exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credit-hub-cli-"));
    const out = join(dir, "supergraph.graphql");
    const good = await hub(["supergraph", "compose", "--out", out]);
    expect(good.code, good.stderr).toBe(0);
    const composed = readFileSync(out, "utf8");
    expect(() => buildASTSchema(parse(composed), { assumeValidSDL: true })).not.toThrow();
    expect(composed).toMatch(/join__Graph/);

    writeFileSync(join(dir, "partner.graphql"), "type Query { enterprise: Int }\n");
    const config = join(dir, "supergraph.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        subgraphs: [
          ...["registry", "associations", "industry", "bureaus"].map((name, i) => ({
            name,
            url: `http://localhost:${4001 + i}/graphql`,
          })),
          { name: "partner", url: "http://localhost:4010/graphql", sdl: "partner.graphql" },
        ],
      }),
    );
    const bad = await hub(["supergraph", "compose", "--config", config, "--out", out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/did not compose; nothing was written/);
    expect(readFileSync(out, "utf8")).toBe(composed);
  });

  it("when operations are added to a manifest, then the gateway's reader accepts it with each one under its hash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credit-hub-docs-"));
    const manifest = join(dir, "trusted.json");
    const text = "query Lookup($u: USCC!) { enterprise(uscc: $u) { uscc name } }\n";
    writeFileSync(join(dir, "lookup.graphql"), text);
    writeFileSync(join(dir, "two.graphql"), "query A { me { id } } query B { me { id } }");
    const added = await hub(["documents", "add", "--manifest", manifest, join(dir, "lookup.graphql")]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(documentHash(text));
    expect(readManifest(manifest).get(documentHash(text))).toBe(text);
    const two = await hub(["documents", "add", "--manifest", manifest, join(dir, "two.graphql")]);
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/holds 2 operations/);
    expect(readManifest(manifest).size).toBe(1);
  });
});
