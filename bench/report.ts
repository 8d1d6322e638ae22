import type { DatasetSize } from "./dataset.ts";
import type { LoadResult } from "./load.ts";

/** What a run measured, as main.ts writes it to bench/results/*.json. */
export interface Report {
  at: string;
  command: string;
  quick: boolean;
  machine: { cores: number; model: string; node: string; loadBefore: number[] };
  sizes: { main: DatasetSize; small: DatasetSize };
  settings: { seconds: number; reps: number; connections: number };
  scenarios: {
    id: string;
    title: string;
    connections: number;
    throughput: LoadResult;
    rate: number;
    latency: LoadResult;
    cpu: Record<string, number>;
    sql: Record<string, number>;
  }[];
  pairs: {
    id: string;
    title: string;
    a: string;
    b: string;
    measure: "rps" | "p50";
    /** Which way the figure is read: "b/a" for a cost factor of A (B's throughput over A's), "a/b" otherwise. */
    ratio: "b/a" | "a/b";
    /** The target, when there is one: the ratio must stay at most `max` or at least `min`. */
    limit?: { max?: number; min?: number };
    runsA: number[];
    runsB: number[];
  }[];
  planner: { ran: boolean; why?: string };
  chain: Record<string, { ok: boolean; entries: number; problem?: string }>;
  peakRss: Record<string, number>;
  /** The same scenarios served by the bare parts (bench/ceiling): each repetition's figures on both sides. */
  ceiling: {
    scenarios: { id: string; title: string; hub: Usage[]; ceiling: Usage[] }[];
    /** The ceiling's processes' peak RSS, all they served being the comparisons. */
    peakRss: Record<string, number>;
    /** The hub's processes' peak RSS once the comparisons (run first) were done: the same work as the ceiling's. */
    hubPeakRss: Record<string, number>;
  };
  elapsedSeconds: number;
}

/** One run's CPU µs per request of each process (gateway and subgraphs by name) and SQL statements per request. */
export interface Usage {
  cpu: Record<string, number>;
  sql: Record<string, number>;
  /** CPU µs per request of the PostgreSQL backends serving this side's connections (the ceiling comparisons only). */
  database?: number;
  failures: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

/** Each repetition's ratio, their median and range, and whether the target holds. */
export function pairFigures(p: Report["pairs"][number]) {
  const ratios = p.runsA.map((a, i) => {
    const b = p.runsB[i] ?? Number.NaN;
    return p.ratio === "b/a" ? b / a : a / b;
  });
  const ratio = median(ratios);
  const met =
    p.limit === undefined || !Number.isFinite(ratio)
      ? null
      : (p.limit.max === undefined || ratio <= p.limit.max) && (p.limit.min === undefined || ratio >= p.limit.min);
  const target = p.limit ? (p.limit.max !== undefined ? `≤ ${p.limit.max}` : `≥ ${p.limit.min}`) : "–";
  return {
    ratio,
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    met,
    target,
    a: median(p.runsA),
    b: median(p.runsB),
  };
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/**
 * Hub over ceiling, per repetition (the runs were interleaved, so each pair saw the same machine): the median and
 * the range of those ratios, against a ceiling on the ratio.
 */
function ratioRow(label: string, hub: number[], ceiling: number[], max: number | null, digits: number): string[] {
  const ratios = hub.map((h, i) => h / (ceiling[i] ?? Number.NaN));
  const ratio = median(ratios);
  return [
    label,
    f(median(hub), digits),
    f(median(ceiling), digits),
    `${f(ratio, 2)}×`,
    `${f(Math.min(...ratios), 2)}–${f(Math.max(...ratios), 2)}`,
    max === null ? "–" : `≤ ${max}`,
    max === null || !Number.isFinite(ratio) ? "–" : ratio <= max ? "yes" : "NO",
  ];
}

/** The hub's cost over the ceiling's: CPU per request of each process, SQL per request, peak memory. */
function ceilingRows(report: Report): string[][] {
  const rows = [["hub vs. ceiling, per request", "hub", "ceiling", "ratio", "range", "target", "met"]];
  for (const s of report.ceiling.scenarios) {
    const processes = Object.keys(s.hub[0]?.cpu ?? {});
    for (const p of processes) {
      const hub = s.hub.map((u) => (u.cpu[p] ?? Number.NaN) / 1000);
      const ceiling = s.ceiling.map((u) => (u.cpu[p] ?? Number.NaN) / 1000);
      // A process the scenario hardly reaches (under 0.1 ms a request on the ceiling) has no ratio worth a target.
      const reached = median(ceiling) >= 0.1;
      rows.push(ratioRow(`${s.title}: CPU ms, ${p}`, hub, ceiling, reached ? (p === "gateway" ? 1.3 : 2) : null, 2));
    }
    rows.push(
      // Not a target: what the database does for the hub includes the audit entries the ceiling never writes.
      ratioRow(
        `${s.title}: CPU ms, PostgreSQL (the side's connections)`,
        s.hub.map((u) => (u.database ?? Number.NaN) / 1000),
        s.ceiling.map((u) => (u.database ?? Number.NaN) / 1000),
        null,
        2,
      ),
      ratioRow(
        `${s.title}: SQL statements, all subgraphs`,
        s.hub.map((u) => sum(u.sql)),
        s.ceiling.map((u) => sum(u.sql)),
        s.id === "standing" ? 1.5 : null,
        2,
      ),
    );
    const failures = [...s.hub, ...s.ceiling].reduce((n, u) => n + u.failures, 0);
    if (failures) rows.push([`${s.title}: FAILED requests (the figures above do not compare)`, String(failures)]);
  }
  const mb = (r: Record<string, number>) => [sum(r) / 1048576];
  rows.push(
    ratioRow(
      "peak RSS MB, gateway and subgraphs together, over the same comparisons",
      mb(report.ceiling.hubPeakRss),
      mb(report.ceiling.peakRss),
      1.3,
      0,
    ),
  );
  return rows;
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return [head, head?.map(() => "---"), ...body].map((r) => `| ${(r ?? []).join(" | ")} |`).join("\n");
}

export function renderResults(report: Report) {
  const owners = Object.keys(report.scenarios[0]?.sql ?? {});
  const scenarioRows = [
    [
      "scenario",
      "connections",
      "req/s",
      "fixed rate",
      "p50 ms",
      "p99 ms",
      "CPU µs/req gateway",
      ...owners.map((o) => `CPU µs/req ${o}`),
      ...owners.map((o) => `SQL/req ${o}`),
      "failures",
    ],
    ...report.scenarios.map((s) => [
      s.title,
      String(s.connections),
      f(s.throughput.rps, 1),
      `${s.rate}/s`,
      f(s.latency.p50, 1),
      f(s.latency.p99, 1),
      f(s.cpu.gateway ?? Number.NaN),
      ...owners.map((o) => f(s.cpu[o] ?? Number.NaN)),
      ...owners.map((o) => f(s.sql[o] ?? Number.NaN, 2)),
      String(s.throughput.failures + s.latency.failures),
    ]),
  ];
  const pairRows = [
    ["comparison", "A", "B", `median A`, `median B`, "ratio", "range", "target", "met"],
    ...report.pairs.map((p) => {
      const x = pairFigures(p);
      const unit = p.measure === "rps" ? " req/s" : " ms";
      return [
        p.title,
        p.a,
        p.b,
        `${f(x.a, p.measure === "rps" ? 0 : 1)}${unit}`,
        `${f(x.b, p.measure === "rps" ? 0 : 1)}${unit}`,
        `${f(x.ratio, 2)}× (${p.ratio === "b/a" ? "B/A" : "A/B"})`,
        `${f(x.min, 2)}–${f(x.max, 2)}`,
        x.target,
        x.met === null ? "–" : x.met ? "yes" : "NO",
      ];
    }),
  ];
  const standing = report.scenarios.find((s) => s.id === "standing");
  const hundred = report.scenarios.find((s) => s.id === "standings-100");
  const sqlRows = [
    ["subgraph", "SQL/req, 1 enterprise", "SQL/req, 100 enterprises"],
    ...owners.map((o) => [o, f(standing?.sql[o] ?? Number.NaN, 2), f(hundred?.sql[o] ?? Number.NaN, 2)]),
  ];
  const rssRows = [
    ["process", "peak RSS MB over the hub vs. ceiling comparisons", "peak RSS MB over the whole run"],
    ...Object.entries(report.ceiling.hubPeakRss).map(([p, b]) => [
      p,
      f(b / 1048576),
      f((report.peakRss[p] ?? 0) / 1048576),
    ]),
    ...Object.entries(report.ceiling.peakRss).map(([p, b]) => [p, f(b / 1048576), "–"]),
  ];
  const ceiling = ceilingRows(report);
  const chain = Object.entries(report.chain)
    .map(([o, c]) => `${o}: ${c.ok ? "intact" : `BROKEN (${c.problem})`}, ${c.entries} entries`)
    .join("; ");
  const header = `credit-hub bench, ${report.at}: ${report.machine.cores} cores (${report.machine.model}), Node ${report.machine.node}, load average before ${report.machine.loadBefore.map((l) => l.toFixed(2)).join(" ")}
data: ${report.sizes.main.enterprises} enterprises / ${report.sizes.main.records} records (small set: ${report.sizes.small.enterprises}); ${report.settings.connections} connections, ${report.settings.seconds} s runs, ${report.settings.reps} interleaved repetitions per comparison; ${report.elapsedSeconds.toFixed(0)} s in all`;
  const planner = report.planner.ran ? "" : `\nquery planner comparison not run: ${report.planner.why}`;
  return {
    table: [
      header,
      "",
      table(scenarioRows),
      "",
      table(pairRows),
      "",
      table(ceiling),
      "",
      "SQL statements per request, by list size (standing check vs. standings of 100):",
      table(sqlRows),
      "",
      table(rssRows),
      "",
      `audit chains after the audited load: ${chain}${planner}`,
    ].join("\n"),
    /** RESULTS.md: these figures above the notes someone wrote below the marker, which are kept. */
    markdown(previous: string): string {
      const marker = "<!-- notes: kept when the bench rewrites the figures above -->";
      const notes = previous.includes(marker) ? previous.slice(previous.indexOf(marker) + marker.length) : "\n";
      return `# Benchmark results

Produced by \`${report.command}\` on ${report.at.slice(0, 10)}.

- Machine: ${report.machine.cores} cores (${report.machine.model}), Node ${report.machine.node}; load average before the run: ${report.machine.loadBefore.map((l) => l.toFixed(2)).join(", ")}.
- Data: ${report.sizes.main.enterprises} enterprises and ${report.sizes.main.records} credit records in PostgreSQL (the size comparison also uses a set of ${report.sizes.small.enterprises}).
- Load: autocannon, ${report.settings.connections} connections, ${report.settings.seconds} s per run, every request about a different enterprise; latency at a fixed rate of half the measured throughput. Comparisons: ${report.settings.reps} interleaved repetitions each; the ratio is the median of the repetitions' ratios, the range their spread.

## Scenarios

${markdownTable(scenarioRows)}

## Comparisons and targets

${markdownTable(pairRows)}

## The hub against its ceiling

The same scenarios served by the bare parts — the gateway runtime with no plugins, in front of each owner's part
written directly on \`@apollo/subgraph\` + \`pg\` over the same tables (\`bench/ceiling\`) — with answers checked
equal to the hub's before anything is timed. Throughput ratios are in the table above (\`hub vs. ceiling\`).

${markdownTable(ceiling)}

## SQL statements per request, by list size

${markdownTable(sqlRows)}

## Peak memory

${markdownTable(rssRows)}

Audit chains after the audited load: ${chain}.${planner}

${marker}${notes}`;
    },
  };
}
