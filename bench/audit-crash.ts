/**
 * npm run bench:audit-crash [-- --rounds 5 --clients 8]
 *
 * Kills the associations subgraph with SIGKILL again and again while audited
 * reads and writes run against it on PostgreSQL, then checks that the audit
 * chain is intact and that every write the subgraph acknowledged is stored.
 * Requests are signed with a hub key of the script's own, as the gateway
 * would sign them. Prints its figures; exits 1 if anything was lost or broken.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { type Spawned, startTsx } from "../hub/spawn.ts";
import { settingsOrExit } from "../operations/settings.ts";
import { PrismaClient } from "../prisma/associations/generated/client.ts";
import { HUB_TOKEN_HEADER } from "../protocol/headers.ts";
import { mintHubToken } from "../protocol/hub-token.ts";
import type { Caller } from "../protocol/identity.ts";
import { readPublicJwk } from "../protocol/keys.ts";
import { withUsccCheckCharacter } from "../protocol/uscc.ts";
import { verifyOwnerAudit } from "../subgraphs/sdk/audit.ts";
import { openDatabase } from "../subgraphs/sdk/database.ts";
import { auditLogOf } from "../subgraphs/sdk/owner.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    clients: { type: "string", default: "8" },
    postgres: {
      type: "string",
      default: settingsOrExit("bench", "npm run bench:audit-crash").CREDIT_HUB_CRASH_POSTGRES,
    },
  },
});
const rounds = Number(values.rounds);
const clients = Number(values.clients);

const admin = new pg.Client({ connectionString: values.postgres });
await admin.connect();
const database = `credithub_crash_${randomBytes(4).toString("hex")}`;
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(values.postgres);
url.pathname = `/${database}`;
const dataDir = mkdtempSync(join(tmpdir(), "credit-hub-crash-"));
const keys = await loadOrCreateSigningKeys(join(dataDir, "keys"));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const endpoint = `http://127.0.0.1:${port}/graphql`;
// Readiness is on the subgraph's operator address (OPERATOR_PORT), not its public port.
const operatorPort = port + 100;

let child: Spawned | undefined;
/** Starts the subgraph and waits until it is ready (on its operator's address, not its public port). */
function startSubgraph(): Promise<Spawned> {
  return startTsx({
    name: "the associations subgraph",
    script: ["hub/subgraph-main.ts", "associations"],
    env: {
      DATA_DIR: dataDir,
      PORT: String(port),
      OPERATOR_PORT: String(operatorPort),
      DATABASE_URL_ASSOCIATIONS: url.toString(),
      AUDIT_CHECKPOINT_SECONDS: "1",
      LOG_LEVEL: "error",
    },
    ready: { url: `http://127.0.0.1:${operatorPort}/readiness` },
    keepOutput: 64 * 1024,
  });
}

const association: Caller = {
  kind: "organisation",
  organisationId: randomUUID(),
  organisationType: "ASSOCIATION",
  uscc: null,
  roles: ["STAFF"],
};
const bank: Caller = {
  kind: "organisation",
  organisationId: randomUUID(),
  organisationType: "FINANCIAL",
  uscc: null,
  roles: ["STAFF"],
};
// Hex digits are all in the USCC alphabet.
const uscc = withUsccCheckCharacter(`91310115${randomBytes(5).toString("hex").slice(0, 9).toUpperCase()}`);

async function call(caller: Caller, query: string, variables: Record<string, unknown>, purpose: string | null = null) {
  const body = JSON.stringify({ query, variables });
  const token = await mintHubToken(keys.privateKey, "associations", body, {
    caller,
    purpose,
    requestId: randomUUID(),
    consents: [{ uscc, consentId: randomUUID(), owners: [] }],
    // What the gateway signs in after asking the registry: without it, every write is refused as about an unknown enterprise.
    known: [uscc],
  });
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", [HUB_TOKEN_HEADER]: token },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

const acknowledged: string[] = [];
let reads = 0;
let failedRequests = 0;
try {
  child = await startSubgraph();
  await call(association, `mutation ($i: AdmitMemberInput!) { admitMember(input: $i) { id } }`, {
    i: { uscc, joinedOn: "2020-01-01" },
  });
  await call(association, `mutation ($i: GrantAssociationAccessInput!) { grantAssociationAccess(input: $i) { id } }`, {
    i: { consumerOrganisationId: bank.organisationId, classes: ["SHARED", "CONSENT"], purposes: ["LOAN_APPROVAL"] },
  });

  for (let round = 1; round <= rounds; round++) {
    let running = true;
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        try {
          if (i % 2 === 0) {
            const r = await call(
              association,
              `mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }`,
              {
                i: {
                  uscc,
                  polarity: "NEGATIVE",
                  category: "PAYMENT",
                  summary: `round ${round} worker ${n} #${i}`,
                  source: "crash test",
                  occurredOn: "2024-01-01",
                },
              },
            );
            const id = (r.data?.recordCreditEvent as { id?: string } | null)?.id;
            if (id && !r.errors) acknowledged.push(id);
          } else {
            const r = await call(
              bank,
              `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { creditRecords { summary } } } }`,
              {
                r: [{ __typename: "Enterprise", uscc }],
              },
              "LOAN_APPROVAL",
            );
            if (!r.errors) reads++;
          }
        } catch {
          failedRequests++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const workers = Array.from({ length: clients }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 400 + Math.random() * 1200));
    await child.stop({ graceMs: 0, signal: "SIGKILL" });
    running = false;
    await Promise.all(workers);
    process.stdout.write(`round ${round}/${rounds}: killed; ${acknowledged.length} writes acknowledged so far\n`);
    child = await startSubgraph();
  }
  await child.stop();
  child = undefined;

  const db = await openDatabase(
    "associations",
    { kind: "postgres", url: url.toString() },
    (adapter) => new PrismaClient({ adapter }),
  );
  const stored = await db.client.creditRecord.count({ where: { id: { in: acknowledged } } });
  const entries = await db.client.auditEntry.count();
  const verified = await verifyOwnerAudit(
    auditLogOf(db.client),
    readPublicJwk(join(dataDir, "keys"), "associations-audit"),
  );
  await db.close();
  const lost = acknowledged.length - stored;
  console.log(
    JSON.stringify(
      {
        rounds,
        clients,
        acknowledgedWrites: acknowledged.length,
        auditedReads: reads,
        requestsCutByKill: failedRequests,
        auditEntries: entries,
        checkpoints: verified.checkpoints,
        lostWrites: lost,
        chain: verified.ok ? "intact" : `BROKEN at ${verified.problem?.seq}: ${verified.problem?.reason}`,
      },
      null,
      2,
    ),
  );
  // No acknowledged write would prove nothing: the run counts as failed, not as "nothing lost".
  if (acknowledged.length === 0) console.error("No write was acknowledged: the run tested nothing.");
  process.exitCode = lost === 0 && verified.ok && acknowledged.length > 0 ? 0 : 1;
} finally {
  await child?.stop({ graceMs: 0, signal: "SIGKILL" });
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
