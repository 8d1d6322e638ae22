/**
 * npm run bench:attack-recovery [-- --parallel 8 --rounds 5 --samples 30]
 *
 * Issue 13, acceptance 3: the hub as `npm start` runs it in production (one
 * process, PGlite under a temporary folder, LOG_LEVEL info), its stdout and
 * stderr written to a file as an operator would keep them. Times the public
 * page's anonymous enterprise lookup before, during and after the cost attack
 * of item 2 (`--parallel` anonymous requests at once, `--rounds` times), and
 * prints the lookups' medians and p95 against the usual median of the same
 * run, the attacks' answers by `extensions.code`, and the log's size against
 * 1 MB. Figures only: exits 1 when the hub does not start or a lookup fails,
 * never on a time.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PUBLIC_DOCUMENTS } from "../gateway/public-page.ts";
import { type GraphQLResponse, graphql, mustGraphql } from "../hub/client.ts";
import { freePort, lastLines, startTsx } from "../hub/spawn.ts";
import { usccAt } from "./dataset.ts";

const { values: args } = parseArgs({
  options: {
    parallel: { type: "string", default: "8" },
    rounds: { type: "string", default: "5" },
    samples: { type: "string", default: "30" },
  },
});
const [parallel, rounds, samples] = [args.parallel, args.rounds, args.samples].map(Number) as [number, number, number];
const LOG_LIMIT = 1024 * 1024;

const startedAt = Date.now();
const step = (message: string) =>
  console.error(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(" ");
/**
 * Item 2's shapes, each sized past the production defaults' cost limit (10,000) but inside every other limit,
 * so it is the cost estimate that has to stop it; the last is the most the limit lets through, and runs.
 */
const ATTACKS: { name: string; query: string }[] = [
  {
    name: "110 aliases of enterprises(first: 100)",
    query: `{ ${times(110, (i) => `a${i}: enterprises(nameContains: "公司", first: 100) { uscc name }`)} }`,
  },
  {
    name: "nested fragments, each spread twice (2^30)",
    query: `{ ...F30 } fragment F0 on Query { __typename } ${times(30, (i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`)}`,
  },
  {
    name: "lists in lists through fragments",
    query: `{ enterprises(nameContains: "公司", first: 100) { ...L4 } } fragment L0 on Enterprise { uscc name } ${times(4, (i) => `fragment L${i + 1} on Enterprise { memberships { enterprise { ...L${i} } } ...L${i} }`)}`,
  },
  {
    name: "one list of a million",
    query: `{ enterprises(nameContains: "公司", first: 1000000) { uscc name memberships { status association { name } } } }`,
  },
  {
    name: "30 aliases of enterprises(first: 100) (cost 9,000: allowed)",
    query: `{ ${times(30, (i) => `a${i}: enterprises(nameContains: "公司", first: 100) { uscc name }`)} }`,
  },
];

const dir = mkdtempSync(join(tmpdir(), "credit-hub-attack-"));
const dataDir = join(dir, "data");
const logFile = join(dir, "hub.log");
const port = await freePort();
const url = `http://127.0.0.1:${port}/graphql`;
step(`starting the hub (npm start, NODE_ENV=production) on ${url}; log in ${logFile}`);
const hub = await startTsx({
  name: "the hub",
  script: ["hub/main.ts"],
  env: { NODE_ENV: "production", LOG_LEVEL: "info", DATA_DIR: dataDir, PORT: String(port), OPERATOR_PORT: "0" },
  ready: /credit-hub is running\./,
  timeoutMs: 180_000,
  logFile,
  // The log file keeps it all; this process, only what an error message would show.
  keepOutput: 64 * 1024,
}).catch((error: Error) => {
  console.error(`\nattack-recovery: ${error.message}`);
  process.exit(1);
});

/** Ends the run with the message and the end of the hub's log (the hub is killed as this process exits). */
function fail(message: string): never {
  console.error(
    `\nattack-recovery: ${message}\n--- end of the hub's log ---\n${lastLines(readFileSync(logFile, "utf8"))}`,
  );
  process.exit(1);
}

// In production npm start prints no keys: the operator's is in the 0600 credentials file it names.
const credentials = JSON.parse(readFileSync(join(dataDir, "demo-credentials.json"), "utf8")) as Record<
  string,
  { type: string; apiKey: string }
>;
const operatorKey = Object.values(credentials).find((c) => c.type === "HUB")?.apiKey;
if (!operatorKey) fail("the credentials file holds no operator key");
const uscc = usccAt(4_242);
const name = "攻击恢复基准企业有限公司";
await mustGraphql(
  url,
  /* GraphQL */ `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
  { i: { uscc, name } },
  { apiKey: operatorKey },
).catch((error: Error) => fail(`registering the enterprise failed: ${error.message}`));
step(`hub running; enterprise ${uscc} registered`);

/** A request the hub did not answer at all (connection refused or reset): status 0. */
const noAnswer = (error: Error): GraphQLResponse<never> => ({
  status: 0,
  errors: [{ message: error.message, extensions: { code: `no answer (${error.message})` } }],
});

/** One anonymous lookup, in ms; a lookup that does not answer with the enterprise ends the run. */
async function lookup(): Promise<number> {
  const start = performance.now();
  const r = await graphql<{ enterprise: { name: string } | null }>(url, PUBLIC_DOCUMENTS.enterprise, { uscc }).catch(
    noAnswer,
  );
  const ms = performance.now() - start;
  if (r.status !== 200 || r.data?.enterprise?.name !== name)
    fail(
      `a lookup failed (${r.status}): ${r.errors?.map((e) => `${e.extensions?.code ?? ""} ${e.message}`).join("; ")}`,
    );
  return ms;
}
const sequence = async (n: number) => {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push(await lookup());
  return ms;
};
const quantile = (ms: number[], q: number) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};

await sequence(20); // the first requests compile code paths and fill caches: not what a usual lookup costs
const usual = quantile(await sequence(samples), 0.5);
step(`usual lookup: median ${usual.toFixed(1)} ms over ${samples}`);

const answers = new Map<string, Map<string, number>>(ATTACKS.map((a) => [a.name, new Map()]));
const during: number[] = [];
for (let round = 1; round <= rounds; round++) {
  let settled = false;
  const attacks = Promise.all(
    Array.from({ length: parallel }, async (_, i) => {
      const attack = ATTACKS[(round * parallel + i) % ATTACKS.length] as (typeof ATTACKS)[number];
      const r = await graphql(url, attack.query).catch(noAnswer);
      const code = String(r.errors?.[0]?.extensions?.code ?? `answered ${r.status}`);
      const counts = answers.get(attack.name) as Map<string, number>;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }),
  ).then(() => {
    settled = true;
  });
  // Lookups start with the attacks and go on while any is in flight; at least three a round, so a round the
  // hub refuses at once still times some.
  for (let n = 0; n < 3 || (!settled && n < 20); n++) during.push(await lookup());
  await attacks;
  step(`attack round ${round}/${rounds}: ${parallel} in parallel, ${during.length} lookups timed so far`);
}
const after = await sequence(samples);
step(`after: ${samples} lookups timed; stopping the hub`);

await hub.stop({ graceMs: 15_000 });
const logBytes = statSync(logFile).size;
const logLines = readFileSync(logFile, "utf8").split("\n").filter(Boolean).length;
rmSync(dir, { recursive: true, force: true });

const ratio = (ms: number) => `${(ms / usual).toFixed(2)}× (${ms.toFixed(1)} ms)`;
console.log(`
anonymous lookup (public page's enterprise query), hub in production, LOG_LEVEL info
  usual      median ${usual.toFixed(1)} ms  (${samples} sequential, before the attack; the 1.00× of the ratios)
  during     median ${ratio(quantile(during, 0.5))}  p95 ${ratio(quantile(during, 0.95))}  (${during.length} lookups)
  after      median ${ratio(quantile(after, 0.5))}  p95 ${ratio(quantile(after, 0.95))}  (${after.length} lookups)

cost attack: ${rounds} rounds of ${parallel} anonymous requests in parallel, answered by code
${[...answers]
  .map(([attack, codes]) => `  ${attack.padEnd(60)} ${[...codes].map(([c, n]) => `${c} ×${n}`).join(", ")}`)
  .join("\n")}

log of the whole run (stdout + stderr, start to stop): ${logBytes} bytes, ${logLines} lines = ${((100 * logBytes) / LOG_LIMIT).toFixed(2)}% of 1 MB${logBytes > LOG_LIMIT ? "  — OVER 1 MB" : ""}`);
