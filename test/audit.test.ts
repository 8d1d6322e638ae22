import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessRecorder, entryHash, GENESIS_HASH, verifyOwnerAudit } from "../subgraphs/sdk/audit.ts";
import { pgliteStartParams } from "../subgraphs/sdk/database.ts";
import { auditLogOf } from "../subgraphs/sdk/owner.ts";
import { cli } from "./support/cli.ts";
import { associationsDb, sharedTestHub, startTestHub, type TestHub } from "./support/hub.ts";
import { captureLogs } from "./support/logs.ts";
import { bankWithGrant, giveConsent, memberWithRecord, ok } from "./support/scenes.ts";

/**
 * The owners' audit log through the gateway: what an enterprise sees of who
 * looked at its data, that nothing leaves when the log cannot be written, and
 * that `npm run audit:verify` finds every kind of tampering.
 */

const PURPOSE = "LOAN_APPROVAL";

/** A member with one negative record, its own ENTERPRISE key, and a bank granted SHARED + CONSENT. */
async function scene(t: TestHub) {
  const member = await memberWithRecord(t, {
    record: { summary: "机密：逾期付款 200 万元", source: "法院判决", occurredOn: "2024-01-01", endedOn: "2024-05-01" },
  });
  const enterprise = await t.organisation("ENTERPRISE", { uscc: member.uscc });
  return { ...member, enterprise, bank: await bankWithGrant(t, member.association.key, ["SHARED", "CONSENT"]) };
}

const HISTORY = /* GraphQL */ `
  query ($u: USCC!, $before: String) {
    enterprise(uscc: $u) {
      associationsAccessHistory(first: 1, before: $before) {
        events { caller { id } callerType purpose decision fields }
        nextCursor
      }
    }
  }
`;

describe("who looked at my data", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await sharedTestHub();
  });

  it("when a bank reads with consent and is then denied, then the enterprise sees both, newest first, page by page", async () => {
    const s = await scene(t);
    await giveConsent(t, s.enterprise.key, s.bank.id);
    const READ = `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { polarity summary } } }`;
    const released = await t.query(READ, { u: s.uscc }, { apiKey: s.bank.key, purpose: PURPOSE });
    expect(released.errors).toBeUndefined();
    // Outside its grant's purposes the bank may not even know the record exists: an empty list, recorded as a denial.
    const denied = await t.query(READ, { u: s.uscc }, { apiKey: s.bank.key, purpose: "INSURANCE_UNDERWRITING" });
    expect(denied.errors).toBeUndefined();
    expect(denied.data).toEqual({ enterprise: { creditRecords: [] } });

    type Page = {
      enterprise: { associationsAccessHistory: { events: Record<string, unknown>[]; nextCursor: string | null } };
    };
    const first = await ok<Page>(t, HISTORY, { u: s.uscc }, s.enterprise.key);
    expect(first.enterprise.associationsAccessHistory.events).toEqual([
      {
        caller: { id: s.bank.id },
        callerType: "FINANCIAL",
        purpose: "INSURANCE_UNDERWRITING",
        decision: "DENIED",
        fields: ["Enterprise.creditRecords"],
      },
    ]);
    const second = await ok<Page>(
      t,
      HISTORY,
      { u: s.uscc, before: first.enterprise.associationsAccessHistory.nextCursor },
      s.enterprise.key,
    );
    expect(second.enterprise.associationsAccessHistory.events).toEqual([
      {
        caller: { id: s.bank.id },
        callerType: "FINANCIAL",
        purpose: PURPOSE,
        decision: "RELEASED",
        fields: ["CreditRecord.polarity", "CreditRecord.summary", "Enterprise.creditRecords"],
      },
    ]);
    expect(second.enterprise.associationsAccessHistory.nextCursor).toBeNull();
  });

  it("when the bank asks for the enterprise's access history, then it is FORBIDDEN", async () => {
    const s = await scene(t);
    const r = await t.query(HISTORY, { u: s.uscc }, { apiKey: s.bank.key, purpose: PURPOSE });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("when the audit table cannot be written, then no credit data leaves and the caller is told why", async () => {
    const s = await scene(t);
    const db = associationsDb(t);
    await db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION "refuse_audit"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION "refuse_audit"()`,
    );
    // The operator is told in the log (the deliberate fault's line is kept here, not printed with the test output).
    const logs = captureLogs();
    try {
      const r = await t.query(
        `query ($u: USCC!) { enterprise(uscc: $u) { name creditRecords { polarity summary source } } }`,
        { u: s.uscc },
        { apiKey: s.bank.key, purpose: PURPOSE },
      );
      logs.restore();
      const line = logs.text();
      expect(line).toMatch(/audit log not written; answer withheld/);
      expect(line).not.toContain(s.uscc);
      expect(line).not.toMatch(/机密|法院判决/);
      expect(JSON.stringify(r)).not.toMatch(/机密|法院判决|NEGATIVE|disk full|AuditEntry/);
      expect(r.errors?.map((e) => e.extensions?.code)).toContain("AUDIT_UNAVAILABLE");
      expect(r.errors?.find((e) => e.extensions?.code === "AUDIT_UNAVAILABLE")?.message).toMatch(
        /audit log, so nothing was released/,
      );
    } finally {
      logs.restore();
      await db.$executeRawUnsafe(`DROP TRIGGER "refuse_audit" ON "AuditEntry"`);
    }
    const after = await t.query(
      `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { summary } } }`,
      { u: s.uscc },
      {
        apiKey: s.bank.key,
        purpose: PURPOSE,
      },
    );
    expect(after.data).toEqual({ enterprise: { creditRecords: [{ summary: null }] } });
  });

  it("when many identical reads arrive at once from different callers, then each is decided and recorded on its own", async () => {
    const s = await scene(t);
    await giveConsent(t, s.enterprise.key, s.bank.id);
    const withoutConsent = await bankWithGrant(t, s.association.key, ["SHARED", "CONSENT"]);
    const READ = `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { summary } } }`;
    const reads = Array.from({ length: 24 }, (_, i) => ({
      id: randomUUID(),
      key: i % 2 ? withoutConsent.key : s.bank.key,
    }));
    const answers = await Promise.all(
      reads.map((r) =>
        t.query<{ enterprise: { creditRecords: { summary: string | null }[] } }>(
          READ,
          { u: s.uscc },
          { apiKey: r.key, purpose: PURPOSE, headers: { "x-request-id": r.id } },
        ),
      ),
    );
    // Identical documents, different callers: nobody gets an answer that was decided for someone else.
    answers.forEach((a, i) => {
      const summary = a.data?.enterprise.creditRecords[0]?.summary ?? null;
      if (i % 2) expect(summary).toBeNull();
      else expect(summary).toMatch(/机密/);
    });
    // And every read is in the log under its own request id, however the reads were committed together.
    const ids = reads.map((r) => r.id);
    const recorded = await associationsDb(t).auditEntry.findMany({ where: { requestId: { in: ids } } });
    expect(new Set(recorded.map((e) => e.requestId))).toEqual(new Set(ids));
    const chain = await verifyOwnerAudit(
      auditLogOf(associationsDb(t)),
      t.hub.subgraphs.associations?.auditPublicJwk ?? {},
    );
    expect(chain.ok).toBe(true);
  });
});

describe("two writers on one log", () => {
  it("when two replicas record reads at once and a write commits between them, then every entry is in one intact chain", async () => {
    const t = await sharedTestHub();
    const log = auditLogOf(associationsDb(t));
    // Two recorders are two replicas of the owner: each chains onto the head it last saw, which the other moves.
    const replicas = [accessRecorder(log), accessRecorder(log)];
    const ids: string[] = [];
    const read = (replica: number) => {
      const requestId = randomUUID();
      ids.push(requestId);
      return replicas[replica % 2]?.(
        [
          {
            requestId,
            ownerId: null,
            callerId: null,
            callerType: "FINANCIAL",
            purpose: "LOAN_APPROVAL",
            uscc: null,
            action: "READ",
            decision: "DENIED",
            fields: ["CreditRecord.summary"],
          },
        ],
        new Date(),
      );
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => read(i)));
    // An audited write through the gateway, in its own transaction, between two rounds of reads.
    await memberWithRecord(t);
    await Promise.all(Array.from({ length: 12 }, (_, i) => read(i)));
    const recorded = await associationsDb(t).auditEntry.findMany({ where: { requestId: { in: ids } } });
    expect(recorded).toHaveLength(24);
    const chain = await verifyOwnerAudit(log, t.hub.subgraphs.associations?.auditPublicJwk ?? {});
    expect(chain.ok).toBe(true);
  });
});

/**
 * Runs `npm run hub -- audit verify` as an operator would, against the stopped hub's data: the associations' log
 * (where the scenes write and the tampering happens) unless told which owners.
 */
async function auditVerify(
  dataDir: string,
  env: Record<string, string>,
  extra: string[] = [],
  owners: string[] = ["--owner", "associations"],
) {
  const run = await cli(["audit", "verify", "--data", dataDir, ...owners, ...extra], env);
  return { code: run.code, stdout: run.code === 0 ? run.stdout : `${run.stdout}${run.stderr}` };
}

/** Tampers as someone with write access to the owner's database would, triggers and all. */
async function tamper(dataDir: string, env: Record<string, string>, sql: string[]) {
  const url = env.DATABASE_URL_ASSOCIATIONS;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const statement of sql) await client.query(statement);
    await client.end();
    return;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const raw = await PGlite.create({ dataDir: join(dataDir, "associations"), startParams: pgliteStartParams() });
  for (const statement of sql) await raw.exec(statement);
  await raw.close();
}

describe("npm run audit:verify", () => {
  let t: TestHub;
  let dataDir: string;
  let keptCheckpoint: { seq: string; hash: string; signature: string };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "credit-hub-audit-"));
    t = await startTestHub({ dataDir });
    for (let i = 0; i < 3; i++) await scene(t);
    const checkpoint = await t.hub.subgraphs.associations?.checkpoint();
    if (!checkpoint) throw new Error("no checkpoint");
    keptCheckpoint = { seq: checkpoint.seq.toString(), hash: checkpoint.hash, signature: checkpoint.signature };
    const result = await verifyOwnerAudit(
      auditLogOf(associationsDb(t)),
      t.hub.subgraphs.associations?.auditPublicJwk ?? {},
    );
    expect(result).toMatchObject({ ok: true, entries: Number(checkpoint.seq), checkpoints: 1 });
    await t.stop();
  });
  afterAll(async () => {
    await t?.close();
  });

  const DISABLE = `ALTER TABLE "AuditEntry" DISABLE TRIGGER ALL`;
  const ENABLE = `ALTER TABLE "AuditEntry" ENABLE TRIGGER ALL`;

  it("when nothing was touched, then it reports every owner's chain intact and exits 0", async () => {
    const run = await auditVerify(dataDir, t.databaseEnv, [], []);
    for (const owner of ["registry", "associations", "industry", "bureaus"])
      expect(run.stdout).toMatch(new RegExp(`${owner}: \\d+ entries, \\d+ checkpoints: chain intact\\.`));
    expect(run.code).toBe(0);
  });

  it("when asked for an owner the hub does not run, then it names the owners there are and exits 2", async () => {
    const run = await auditVerify(dataDir, t.databaseEnv, [], ["--owner", "associatons"]);
    expect(run.stdout).toMatch(
      /no owner called associatons .* the owners are registry, associations, industry, bureaus/,
    );
    expect(run.code).toBe(2);
  });

  it("when one entry's content is changed, then it names that entry and exits 1", async () => {
    await tamper(dataDir, t.databaseEnv, [
      DISABLE,
      `UPDATE "AuditEntry" SET "purpose" = 'SUPERVISION' WHERE seq = 3`,
      ENABLE,
    ]);
    const run = await auditVerify(dataDir, t.databaseEnv);
    expect(run.stdout).toMatch(/BROKEN at entry 3: content changed after it was written/);
    expect(run.code).toBe(1);
    // Put back for the next test (which finds the chain intact until it rewrites it).
    await tamper(dataDir, t.databaseEnv, [DISABLE, `UPDATE "AuditEntry" SET "purpose" = NULL WHERE seq = 3`, ENABLE]);
  });

  it("when one entry is deleted, then it names the gap and exits 1", async () => {
    const rows = await readRows(dataDir, t.databaseEnv, `SELECT * FROM "AuditEntry" WHERE seq = 4`);
    await tamper(dataDir, t.databaseEnv, [DISABLE, `DELETE FROM "AuditEntry" WHERE seq = 4`, ENABLE]);
    const run = await auditVerify(dataDir, t.databaseEnv);
    expect(run.stdout).toMatch(/BROKEN at entry 4: entry missing/);
    expect(run.code).toBe(1);
    // Put back for the next test (which finds the chain intact until it rewrites it).
    await tamper(dataDir, t.databaseEnv, [DISABLE, reinsert(rows[0] as Record<string, unknown>), ENABLE]);
  });

  it("when the whole chain is rewritten consistently after a checkpoint, then the kept checkpoint exposes it", async () => {
    // Rewrite entry 2 and re-hash every entry after it, so the chain links up again and the stored checkpoints vanish.
    const rows = (await readRows(dataDir, t.databaseEnv, `SELECT * FROM "AuditEntry" ORDER BY seq`)) as Record<
      string,
      unknown
    >[];
    let prev = GENESIS_HASH;
    const rewritten = rows.map((row) => {
      const entry = {
        seq: BigInt(String(row.seq)),
        at: row.at instanceof Date ? row.at : new Date(String(row.at)),
        requestId: String(row.requestId),
        ownerId: (row.ownerId as string) ?? null,
        callerId: (row.callerId as string) ?? null,
        callerType: (row.callerType as string) ?? null,
        purpose: String(row.seq) === "2" ? "SUPERVISION" : ((row.purpose as string) ?? null),
        uscc: (row.uscc as string) ?? null,
        action: String(row.action),
        decision: String(row.decision),
        fields: row.fields as string[],
        detail: row.detail,
        prevHash: prev,
      };
      prev = entryHash(entry);
      return { ...entry, hash: prev };
    });
    const updates = rewritten.map(
      (e) =>
        `UPDATE "AuditEntry" SET "purpose" = ${e.purpose === null ? "NULL" : `'${e.purpose}'`}, "prevHash" = '${e.prevHash}', "hash" = '${e.hash}' WHERE seq = ${e.seq}`,
    );
    await tamper(dataDir, t.databaseEnv, [
      DISABLE,
      `ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER ALL`,
      `DELETE FROM "AuditCheckpoint"`,
      `UPDATE "AuditEntry" SET "hash" = 'x' || substr("hash", 2)`,
      ...updates,
      ENABLE,
    ]);
    const withoutKept = await auditVerify(dataDir, t.databaseEnv);
    expect(withoutKept.stdout).toMatch(/chain intact/);
    const file = join(dataDir, "kept-checkpoints.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, JSON.stringify({ associations: [keptCheckpoint] }));
    const withKept = await auditVerify(dataDir, t.databaseEnv, ["--checkpoints", file]);
    expect(withKept.stdout).toMatch(
      new RegExp(`BROKEN at entry ${keptCheckpoint.seq}: differs from the signed checkpoint`),
    );
    expect(withKept.code).toBe(1);
  });
});

async function readRows(dataDir: string, env: Record<string, string>, sql: string): Promise<unknown[]> {
  const url = env.DATABASE_URL_ASSOCIATIONS;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const result = await client.query(sql);
    await client.end();
    return result.rows;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const raw = await PGlite.create({ dataDir: join(dataDir, "associations"), startParams: pgliteStartParams() });
  const result = await raw.query(sql);
  await raw.close();
  return result.rows;
}

function reinsert(row: Record<string, unknown>): string {
  const v = (x: unknown) =>
    x === null || x === undefined
      ? "NULL"
      : x instanceof Date
        ? `'${x.toISOString()}'`
        : Array.isArray(x)
          ? `ARRAY[${x.map((y) => `'${y}'`).join(",")}]::text[]`
          : typeof x === "object"
            ? `'${JSON.stringify(x)}'::jsonb`
            : `'${String(x)}'`;
  const columns = Object.keys(row);
  return `INSERT INTO "AuditEntry" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((c) => v(row[c])).join(", ")})`;
}
