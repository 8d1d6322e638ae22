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
  elapsedSeconds: number;
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
    p.limit === undefined
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
  const rssRows = [["process", "peak RSS MB"], ...Object.entries(report.peakRss).map(([p, b]) => [p, f(b / 1048576)])];
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

## SQL statements per request, by list size

${markdownTable(sqlRows)}

## Peak memory

${markdownTable(rssRows)}

Audit chains after the audited load: ${chain}.${planner}

${marker}${notes}`;
    },
  };
}
