/**
 * npm run bench [-- --enterprises 10000 --records 100000 --small 1000 --seconds 10 --reps 5 --connections 32]
 * npm run bench -- --quick     (a smoke run: small data, short runs, every figure printed; CI runs it)
 *
 * Seeds PostgreSQL (BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432/test; a seeded data
 * set is kept and found again by its size, --fresh seeds anew), starts the hub as separate processes
 * plus the comparison variants, drives load with autocannon, prints a table and writes
 * bench/results/<time>.json; a full run also rewrites the figures in bench/RESULTS.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { CryptoKey } from "jose";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";
import { graphql } from "../hub/client.ts";
import { composeSupergraph } from "../hub/compose.ts";
import { freePort, stopAll } from "../hub/spawn.ts";
import { loadSupergraphConfig, standingParts } from "../hub/supergraph-config.ts";
import { settingsOrExit } from "../operations/settings.ts";
import { CEILING_OWNERS, ceilingSupergraph } from "./ceiling/owners.ts";
import {
  cpuMicros,
  databaseCpuMicros,
  namedConnections,
  type Proc,
  peakRss,
  running,
  sqlStatements,
  startProcess,
} from "./cluster.ts";
import type { DatasetSize } from "./dataset.ts";
import { type Dataset, ensureDataset } from "./datasets.ts";
import { drive, type LoadResult, mintTokens } from "./load.ts";
import { type Report, renderResults, type Usage } from "./report.ts";
import { type Caller, SCENARIOS, type Scenario } from "./scenarios.ts";
import { verifyChain } from "./verify.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean" },
    enterprises: { type: "string" },
    records: { type: "string" },
    small: { type: "string" },
    seconds: { type: "string" },
    reps: { type: "string" },
    connections: { type: "string" },
    fresh: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0]);
  process.exit(0);
}
const quick = !!args.quick;
const number = (v: string | undefined, fallback: number) => {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number, got ${v}`);
  return n;
};
const enterprises = number(args.enterprises, quick ? 2000 : 10_000);
const main: DatasetSize = { enterprises, records: number(args.records, enterprises * 10) };
const smallCount = number(args.small, quick ? 500 : 1000);
const small: DatasetSize = { enterprises: smallCount, records: smallCount * 10 };
const seconds = number(args.seconds, quick ? 2 : 10);
const reps = number(args.reps, quick ? 1 : 5);
// Untimed runs that bring a process's code up to speed before it is measured (none in a smoke run: it only
// shows that every figure comes out, and must stay short).
const warmSeconds = quick ? 0 : Math.max(2, Math.round(seconds / 2));
const connections = number(args.connections, quick ? 16 : 32);
const postgres = settingsOrExit("bench", "npm run bench").BENCH_POSTGRES;

const startedAt = Date.now();
const step = (message: string) =>
  console.error(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

interface Cluster {
  gateway: Proc;
  subgraphs: Record<string, Proc>;
}

async function startSubgraphs(set: string, dataset: Dataset): Promise<Record<string, Proc>> {
  const procs: Record<string, Proc> = {};
  // The bureaus read the associations' public key, which the associations write on their first start.
  for (const group of [["registry", "associations", "industry"], ["bureaus"]])
    await Promise.all(
      group.map(async (name) => {
        procs[name] = await startProcess(
          `${set}:${name}`,
          ["hub/subgraph-main.ts", name],
          {
            DATA_DIR: dataset.dataDir,
            PORT: String(await freePort()),
            OPERATOR_PORT: "0",
            [`DATABASE_URL_${name.toUpperCase()}`]: namedConnections(dataset.urls[name] ?? "", `${set}:${name}`),
            AUDIT_CHECKPOINT_SECONDS: "5",
          },
          /subgraph at (http\S+) \(operator (http\S+)\)/,
        );
      }),
    );
  return procs;
}

/** The four subgraphs without permissions and audit, in one process (see variants/unenforced-subgraph.ts). */
async function startUnenforced(dataset: Dataset): Promise<Record<string, Proc>> {
  const proc = await startProcess(
    "unenforced:subgraphs",
    ["bench/variants/unenforced-subgraph.ts", "registry", "associations", "industry", "bureaus"],
    {
      DATA_DIR: dataset.dataDir,
      ...Object.fromEntries(Object.entries(dataset.urls).map(([n, url]) => [`DATABASE_URL_${n.toUpperCase()}`, url])),
    },
    /unenforced subgraphs at (\{.*\})/,
  );
  const urls = JSON.parse(proc.url) as Record<string, { url: string; operatorUrl: string }>;
  return Object.fromEntries(Object.entries(urls).map(([name, u]) => [name, { ...proc, ...u }]));
}

const subgraphUrlEnv = (subgraphs: Record<string, Proc>) =>
  Object.fromEntries(Object.entries(subgraphs).map(([n, p]) => [`SUBGRAPH_URL_${n.toUpperCase()}`, p.url]));

async function startHubGateway(set: string, dataset: Dataset, subgraphs: Record<string, Proc>): Promise<Proc> {
  return startProcess(
    `${set}:gateway`,
    ["hub/gateway-main.ts"],
    {
      DATA_DIR: dataset.dataDir,
      PORT: String(await freePort()),
      OPERATOR_PORT: "0",
      SUPERGRAPH_POLL_SECONDS: "0",
      // The limiter still runs and counts, as in production, but the load generator's one address is not a flood
      // (production's 600 a minute refused most anonymous lookups, and the figures measured the refusals).
      RATE_LIMIT_PER_MINUTE: "1000000000",
      ...subgraphUrlEnv(subgraphs),
    },
    /credit-hub gateway at (http\S+)/,
  );
}

async function startPlainGateway(
  planner: string,
  dataset: Dataset,
  subgraphs: Record<string, Proc>,
  supergraphFile: string,
  role = `plain:${planner}`,
): Promise<Proc | string> {
  try {
    return await startProcess(
      role,
      ["bench/variants/plain-gateway.ts"],
      {
        DATA_DIR: dataset.dataDir,
        PORT: String(await freePort()),
        PLANNER: planner,
        SUPERGRAPH_FILE: supergraphFile,
        CEILING: role.startsWith("ceiling") ? "1" : "0",
        ...subgraphUrlEnv(subgraphs),
      },
      /plain gateway at (http\S+)/,
    );
  } catch (error) {
    return (error as Error).message.split("\n").slice(0, 6).join(" ");
  }
}

/**
 * The ceiling: each owner's part of the lookup and the standing checks on @apollo/subgraph + pg, one process each
 * (bench/ceiling), behind the gateway runtime with no plugins — what the hub's parts can do without the hub's work.
 */
async function startCeiling(dataset: Dataset): Promise<Cluster> {
  const subgraphs: Record<string, Proc> = {};
  await Promise.all(
    CEILING_OWNERS.map(async (name) => {
      subgraphs[name] = await startProcess(
        `ceiling:${name}`,
        ["bench/ceiling/serve.ts", name],
        {
          PORT: String(await freePort()),
          DATABASE_URL: namedConnections(dataset.urls[name] ?? "", `ceiling:${name}`),
          CEILING_CALLER: dataset.parties.bank.id,
        },
        /ceiling \S+ at (http\S+) \(operator (http\S+)\)/,
      );
    }),
  );
  const file = join(dataset.dataDir, "ceiling-supergraph.graphql");
  const urls = Object.fromEntries(Object.entries(subgraphs).map(([n, p]) => [n, p.url]));
  writeFileSync(file, ceilingSupergraph(standingParts(loadSupergraphConfig()), urls));
  const gateway = await startPlainGateway("default", dataset, subgraphs, file, "ceiling:gateway");
  if (typeof gateway === "string") throw new Error(`the ceiling's gateway did not start: ${gateway}`);
  return { gateway, subgraphs };
}

/** The hub and the ceiling must give the same answers, or the ratio compares different work. */
async function sameAnswers(hubUrl: string, ceilingUrl: string, scenario: Scenario, dataset: Dataset, count: number) {
  for (let i = 1; i <= count; i++) {
    const body = JSON.parse(bodyOf(scenario, dataset)(i * 101)) as {
      query: string;
      variables: Record<string, unknown>;
    };
    const headers = headersOf(scenario.caller, dataset, scenario.purpose);
    const [hub, ceiling] = await Promise.all(
      [hubUrl, ceilingUrl].map((url) => graphql(url, body.query, body.variables, { headers })),
    );
    const [h, c] = [JSON.stringify(hub), JSON.stringify(ceiling)];
    if (h !== c)
      throw new Error(
        `${scenario.id}: the ceiling does not answer as the hub does (request ${i}):\n  hub:     ${h.slice(0, 600)}\n  ceiling: ${c.slice(0, 600)}`,
      );
  }
}

function headersOf(caller: Caller, dataset: Dataset, purpose?: string): Record<string, string> {
  const key =
    caller === "anonymous"
      ? null
      : caller === "bank"
        ? dataset.parties.bank.key
        : caller === "bankWithoutConsent"
          ? dataset.parties.bankWithoutConsent.key
          : dataset.parties.bureau.key;
  return { ...(key ? { "x-api-key": key } : {}), ...(purpose ? { "x-purpose": purpose } : {}) };
}

const bodyOf = (scenario: Scenario, dataset: Dataset) => (i: number) =>
  JSON.stringify({
    query: scenario.document,
    variables: scenario.variables(i, dataset.size, { changes: dataset.parties.feedChanges }),
  });

/** Runs the scenario once and checks the answer means what the scenario measures. */
async function check(url: string, scenario: Scenario, dataset: Dataset) {
  const body = JSON.parse(bodyOf(scenario, dataset)(1)) as { query: string; variables: Record<string, unknown> };
  const headers = headersOf(scenario.caller, dataset, scenario.purpose);
  const r = await graphql(url, body.query, body.variables, { headers });
  const problem = scenario.check(r.data as Record<string, unknown>, r.errors);
  if (problem) throw new Error(`${scenario.id} at ${url} does not answer as it should: ${problem}`);
}

let offset = 1;
async function run(
  url: string,
  scenario: Scenario,
  dataset: Dataset,
  options: { rate?: number; conns?: number; seconds?: number } = {},
) {
  const result = await drive({
    url,
    headers: headersOf(scenario.caller, dataset, scenario.purpose),
    body: bodyOf(scenario, dataset),
    connections: options.conns ?? scenario.connections ?? connections,
    seconds: options.seconds ?? seconds,
    rate: options.rate,
    offset,
  });
  offset += result.requests + 1;
  report(result);
  await settle();
  return result;
}

/** CPU µs per request of each process, and SQL statements per request of each subgraph, over one run. */
async function profiled(cluster: Cluster, work: () => Promise<LoadResult>) {
  const procs = [cluster.gateway, ...Object.values(cluster.subgraphs)];
  const cpuBefore = procs.map((p) => cpuMicros(p.pid));
  const sqlBefore = await Promise.all(Object.values(cluster.subgraphs).map((p) => sqlStatements(p.operatorUrl)));
  const result = await work();
  const cpu = Object.fromEntries(
    procs.map((p, i) => [p.role.split(":")[1] ?? p.role, (cpuMicros(p.pid) - (cpuBefore[i] ?? 0)) / result.requests]),
  );
  const sqlAfter = await Promise.all(Object.values(cluster.subgraphs).map((p) => sqlStatements(p.operatorUrl)));
  const sql = Object.fromEntries(
    Object.keys(cluster.subgraphs).map((n, i) => [n, ((sqlAfter[i] ?? 0) - (sqlBefore[i] ?? 0)) / result.requests]),
  );
  return { result, cpu, sql };
}

type Pair = Report["pairs"][number];

/** A and B alternately, `reps` times each, so drift on the machine touches both alike. */
async function interleaved(
  pair: Omit<Pair, "runsA" | "runsB">,
  runA: (seconds?: number) => Promise<LoadResult>,
  runB: (seconds?: number) => Promise<LoadResult>,
): Promise<Pair> {
  const runsA: number[] = [];
  const runsB: number[] = [];
  // One untimed run of each first: a process's first thousand requests run colder code than the rest.
  if (warmSeconds) {
    await runA(warmSeconds);
    await runB(warmSeconds);
  }
  for (let r = 0; r < reps; r++) {
    const [first, second] = r % 2 === 0 ? [runA, runB] : [runB, runA];
    const x = await first();
    const y = await second();
    const [ra, rb] = r % 2 === 0 ? [x, y] : [y, x];
    runsA.push(pair.measure === "rps" ? ra.rps : ra.p50);
    runsB.push(pair.measure === "rps" ? rb.rps : rb.p50);
  }
  step(`  ${pair.title}: done`);
  return { ...pair, runsA, runsB };
}

async function mainRun() {
  const machine = {
    cores: cpus().length,
    model: cpus()[0]?.model ?? "?",
    node: process.version,
    loadBefore: loadavg(),
  };
  step(`machine: ${machine.cores} cores, load ${machine.loadBefore.map((l) => l.toFixed(2)).join(" ")}`);
  const mainData = await ensureDataset(postgres, main, { fresh: !!args.fresh, progress: step });
  const smallData = await ensureDataset(postgres, small, { fresh: !!args.fresh, progress: step });

  const supergraphFile = join(mainData.dataDir, "supergraph.graphql");
  writeFileSync(supergraphFile, composeSupergraph(loadSupergraphConfig()));

  step("starting the hub (4 subgraphs + gateway), the comparison variants and the ceiling as separate processes…");
  const enforced = await startSubgraphs("hub", mainData);
  const [gateway, unenforced, smallSubgraphs] = await Promise.all([
    startHubGateway("hub", mainData, enforced),
    startUnenforced(mainData),
    startSubgraphs("small", smallData),
  ]);
  const [unenforcedGateway, smallGateway, plain, rust, ceiling] = await Promise.all([
    startHubGateway("unenforced", mainData, unenforced),
    startHubGateway("small", smallData, smallSubgraphs),
    startPlainGateway("default", mainData, enforced, supergraphFile),
    startPlainGateway("rust", mainData, enforced, supergraphFile),
    startCeiling(mainData),
  ]);
  if (typeof plain === "string") throw new Error(`the plain gateway did not start: ${plain}`);
  const hub: Cluster = { gateway, subgraphs: enforced };
  step("started; checking every scenario answers as it should…");
  const byId = (id: string) => SCENARIOS.find((s) => s.id === id) as Scenario;
  const [publicLookup, standing, standings] = [byId("public-lookup"), byId("standing"), byId("standings-100")];
  for (const scenario of SCENARIOS) await check(gateway.url, scenario, mainData);
  // Without the permission layer nothing is denied: only what the enforcement comparison drives is checked there.
  for (const scenario of [standing, standings]) await check(unenforcedGateway.url, scenario, mainData);
  await check(smallGateway.url, standing, smallData);
  await check(plain.url, publicLookup, mainData);
  if (typeof rust !== "string") await check(rust.url, publicLookup, mainData);
  const ceilingScenarios = [
    [publicLookup, 0.75],
    [standing, 0.6],
    [standings, 0.5],
  ] as const;
  for (const [scenario] of ceilingScenarios)
    await sameAnswers(gateway.url, ceiling.gateway.url, scenario, mainData, quick ? 3 : 20);

  // 0. The ceiling: the same answers from the bare parts, interleaved with the hub's, with every process's CPU and
  // SQL per request on both sides (the warm-up run is left out). First, while both sides have served nothing else,
  // so that each side's peak memory so far is what these scenarios took (the hub's scenarios below add the feed's
  // pages of 500 and the rest, which the ceiling does not serve); each side warmed on them alike beforehand.
  step(warmSeconds ? "warming the hub and the ceiling up on the scenarios they share…" : "no warm-up (a smoke run)");
  // Longer than the general warm-up below: these are the first requests either side has served.
  const warmShared = warmSeconds * 3;
  if (warmSeconds)
    for (const [scenario] of ceilingScenarios)
      for (const side of [gateway.url, ceiling.gateway.url])
        await run(side, scenario, mainData, { seconds: warmShared });
  step(`hub vs. ceiling: ${reps} interleaved repetitions of ${seconds} s each…`);
  const pairs: Pair[] = [];
  const ceilingUsage: Report["ceiling"]["scenarios"] = [];
  for (const [scenario, min] of ceilingScenarios) {
    const runs: Record<"hub" | "ceiling", Usage[]> = { hub: [], ceiling: [] };
    const measured = (side: "hub" | "ceiling", cluster: Cluster) => async (seconds?: number) => {
      // PostgreSQL's own work for this side: its backends, told apart by the connections' names.
      const adminUrl = mainData.urls.registry ?? "";
      const databaseBefore = await databaseCpuMicros(adminUrl, `${side}:`);
      const { result, cpu, sql } = await profiled(cluster, () =>
        run(cluster.gateway.url, scenario, mainData, { seconds }),
      );
      const database = ((await databaseCpuMicros(adminUrl, `${side}:`)) - databaseBefore) / result.requests;
      runs[side].push({ cpu, sql, database, failures: result.failures });
      return result;
    };
    pairs.push(
      await interleaved(
        {
          id: `ceiling-${scenario.id}`,
          title: `hub vs. ceiling throughput: ${scenario.title}`,
          a: "hub",
          b: "ceiling",
          measure: "rps",
          ratio: "a/b",
          limit: { min },
        },
        measured("hub", hub),
        measured("ceiling", ceiling),
      ),
    );
    ceilingUsage.push({
      id: scenario.id,
      title: scenario.title,
      hub: runs.hub.slice(-reps),
      ceiling: runs.ceiling.slice(-reps),
    });
  }

  const hubProcesses = [gateway, ...Object.values(enforced)];
  const peakOf = (procs: Proc[]) => Object.fromEntries(procs.map((p) => [p.role, peakRss(p.pid)]));
  const comparedRss = {
    hub: peakOf(hubProcesses),
    ceiling: peakOf([ceiling.gateway, ...Object.values(ceiling.subgraphs)]),
  };

  // Warm every path once (JIT, connection pools, plan caches) before anything is timed.
  step(warmSeconds ? "warming up…" : "no warm-up (a smoke run)");
  if (warmSeconds)
    for (const scenario of SCENARIOS) await run(gateway.url, scenario, mainData, { seconds: warmSeconds });

  const scenarios = [];
  for (const scenario of SCENARIOS) {
    step(`scenario ${scenario.id}: throughput at ${scenario.connections ?? connections} connections…`);
    const { result, cpu, sql } = await profiled(hub, () => run(gateway.url, scenario, mainData));
    const rate = Math.max(1, Math.round(result.rps / 2));
    step(`scenario ${scenario.id}: latency at ${rate} requests/s…`);
    const fixed = await run(gateway.url, scenario, mainData, { rate });
    scenarios.push({
      id: scenario.id,
      title: scenario.title,
      connections: scenario.connections ?? connections,
      throughput: result,
      rate,
      latency: fixed,
      cpu,
      sql,
    });
  }

  step(`ratios: ${reps} interleaved repetitions of ${seconds} s each…`);

  // 1. The gateway's cost: registry fields of one enterprise, through the hub vs straight from the registry subgraph.
  const registryLookup: Scenario = {
    ...publicLookup,
    id: "registry-lookup",
    document: /* GraphQL */ `query RegistryLookup($u: USCC!) { enterprise(uscc: $u) { uscc name registeredAt } }`,
  };
  const keys = await loadOrCreateSigningKeys(join(mainData.dataDir, "keys"));
  pairs.push(
    await interleaved(
      {
        id: "gateway-cost",
        title: "hub vs. the registry subgraph directly (one-subgraph lookup)",
        a: "hub",
        b: "direct",
        measure: "rps",
        ratio: "b/a",
      },
      (seconds) => run(gateway.url, registryLookup, mainData, { seconds }),
      (seconds) => direct(enforced.registry as Proc, registryLookup, mainData, keys.privateKey, seconds),
    ),
  );
  // 2. Enforcement: permissions + audit on vs off, same hub gateway, same data.
  for (const scenario of [standing, standings])
    pairs.push(
      await interleaved(
        {
          id: `enforcement-${scenario.id}`,
          title: `permissions + audit on vs. off: ${scenario.title}`,
          a: "enforced",
          b: "unenforced",
          measure: "rps",
          ratio: "b/a",
          limit: { max: scenario.id === "standing" ? 1.3 : 1.5 },
        },
        (seconds) => run(gateway.url, scenario, mainData, { seconds }),
        (seconds) => run(unenforcedGateway.url, scenario, mainData, { seconds }),
      ),
    );
  pairs.push(
    await interleaved(
      {
        id: "audit-64",
        title: "audited vs. unaudited throughput, 64 concurrent clients (standing check)",
        a: "enforced",
        b: "unenforced",
        measure: "rps",
        ratio: "a/b",
        // Issue 15's target (it was 0.75 before the ceiling work).
        limit: { min: 0.85 },
      },
      (seconds) => run(gateway.url, standing, mainData, { conns: 64, seconds }),
      (seconds) => run(unenforcedGateway.url, standing, mainData, { conns: 64, seconds }),
    ),
  );
  // 3. The hub's own plugins: the hub's gateway vs a plain runtime on the same supergraph (anonymous lookup).
  pairs.push(
    await interleaved(
      {
        id: "hub-plugins",
        title: "hub gateway vs. plain gateway runtime (public lookup)",
        a: "hub",
        b: "plain",
        measure: "rps",
        ratio: "b/a",
        limit: { max: 1.15 },
      },
      (seconds) => run(gateway.url, publicLookup, mainData, { seconds }),
      (seconds) => run(plain.url, publicLookup, mainData, { seconds }),
    ),
  );
  // 4. Query planner: the runtime's default vs the Rust planner of @graphql-hive/router-runtime.
  if (typeof rust !== "string")
    pairs.push(
      await interleaved(
        {
          id: "planner",
          title: "default query planner vs. router-runtime's Rust planner (plain gateway, public lookup)",
          a: "default",
          b: "rust",
          measure: "rps",
          ratio: "b/a",
        },
        (seconds) => run(plain.url, publicLookup, mainData, { seconds }),
        (seconds) => run(rust.url, publicLookup, mainData, { seconds }),
      ),
    );
  // 5. Size: the standing check's latency at the same fixed rate on the big and the small data set.
  const sizeRate = Math.max(1, Math.round((scenarios.find((s) => s.id === "standing")?.rate ?? 20) / 2));
  pairs.push(
    await interleaved(
      {
        id: "size",
        title: `standing check p50 latency at ${sizeRate}/s: ${main.enterprises} vs. ${small.enterprises} enterprises`,
        a: `${main.enterprises}`,
        b: `${small.enterprises}`,
        measure: "p50",
        ratio: "a/b",
        limit: { max: 1.2 },
      },
      (seconds) => run(gateway.url, standing, mainData, { rate: sizeRate, seconds }),
      (seconds) => run(smallGateway.url, standing, smallData, { rate: sizeRate, seconds }),
    ),
  );

  step("verifying the associations' audit chain after the audited load…");
  const chain = await verifyChain(mainData);

  const rss = peakOf(hubProcesses);
  await stopAll();

  const report = {
    at: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    quick,
    machine,
    sizes: { main, small },
    settings: { seconds, reps, connections },
    scenarios,
    pairs,
    planner: typeof rust === "string" ? { ran: false, why: rust } : { ran: true },
    chain,
    peakRss: rss,
    ceiling: { scenarios: ceilingUsage, peakRss: comparedRss.ceiling, hubPeakRss: comparedRss.hub },
    elapsedSeconds: (Date.now() - startedAt) / 1000,
  };
  const resultsDir = join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${report.at.replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const text = renderResults(report);
  console.log(text.table);
  if (!quick) {
    const resultsMd = join(ROOT, "bench", "RESULTS.md");
    writeFileSync(resultsMd, text.markdown(readFileSafe(resultsMd)));
    step(`wrote ${resultsMd}`);
  }
  step(`wrote ${file}`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

let lastDirectRps = 0;

/**
 * Waits until the measured processes are idle: autocannon stops at the end of
 * its run without waiting for the answers still being worked on, and that
 * backlog must not be counted against the next run.
 */
async function settle() {
  const pids = running().map((p) => p.pid);
  const cpu = () => pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  for (let i = 0; i < 240; i++) {
    const before = cpu();
    await new Promise((r) => setTimeout(r, 250));
    // Below 5% of one core over a quarter second: nothing left in flight.
    if (cpu() - before < 12_500) return;
  }
}

const report = (r: LoadResult) =>
  console.error(
    `         ${r.requests} requests in ${r.seconds.toFixed(1)} s: ${r.rps.toFixed(0)}/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.failures ? `, ${r.failures} FAILED` : ""}`,
  );

/** The same lookup sent straight to the registry subgraph, each request with a hub token minted before the run. */
async function direct(
  registry: Proc,
  scenario: Scenario,
  dataset: Dataset,
  key: CryptoKey,
  duration = seconds,
): Promise<LoadResult> {
  const body = bodyOf(scenario, dataset);
  // Enough tokens for the run (they are single-use, and live 30 s): well above the last direct run's rate.
  const estimate = Math.ceil(duration * Math.max(3000, lastDirectRps * 2));
  const from = offset;
  const headersFor = await mintTokens(key, "registry", body, from, estimate);
  const result = await drive({
    url: registry.url,
    headers: {},
    body,
    headersFor,
    connections,
    seconds: duration,
    offset: from,
  });
  offset += result.requests + 1;
  lastDirectRps = result.rps;
  report(result);
  await settle();
  if (result.failures) throw new Error(`the direct run had ${result.failures} failed requests (out of tokens?)`);
  return result;
}

try {
  await mainRun();
  process.exit(0);
} catch (error) {
  console.error(`bench failed: ${(error as Error).message}`);
  await stopAll();
  process.exit(1);
}
