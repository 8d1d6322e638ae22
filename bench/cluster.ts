import { readFileSync } from "node:fs";
import pg from "pg";
import { type Spawned, startTsx } from "../hub/spawn.ts";

/**
 * The processes a benchmark run measures, each started as an operator would
 * (or as its bench-only variant), so that /proc can tell each one's CPU and
 * memory apart.
 */

export interface Proc {
  role: string;
  pid: number;
  url: string;
  /** Where its /metrics is (the operator's address), when the ready line names it. */
  operatorUrl: string;
  spawned: Spawned;
}

const started: Proc[] = [];

/** Every process started and not yet stopped. */
export const running = (): readonly Proc[] => started.filter((p) => p.spawned.running());

/** Starts a process in production at LOG_LEVEL error (unless `env` says otherwise); `ready` captures its URLs. */
export async function startProcess(
  role: string,
  script: string[],
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<Proc> {
  const spawned = await startTsx({
    name: role,
    script,
    env: { LOG_LEVEL: "error", NODE_ENV: "production", ...env },
    nodeArgs,
    ready,
    timeoutMs: 120_000,
    // A long run: only what an error message would show.
    keepOutput: 64 * 1024,
  });
  const proc = {
    role,
    pid: spawned.pid,
    url: spawned.match?.[1] ?? "",
    operatorUrl: spawned.match?.[2] ?? "",
    spawned,
  };
  started.push(proc);
  return proc;
}

/** CPU time (user + system) of a process so far, in microseconds, from /proc. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLOCK_TICKS;
}

// Linux reports CPU time in clock ticks; 100 per second on every common build.
const CLOCK_TICKS = 100;

/** Peak resident memory of a process so far, in bytes (VmHWM). */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** A subgraph's SQL statements so far, from its /metrics (on its operator's address). */
export async function sqlStatements(operatorUrl: string): Promise<number> {
  const text = await (await fetch(`${operatorUrl}/metrics`)).text();
  return Number(/^credit_hub_subgraph_sql_statements_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/**
 * A database URL whose connections PostgreSQL names `name` (pg_stat_activity.application_name), so the bench can
 * tell one side's backends from the other's where both read the same databases.
 */
export function namedConnections(url: string, name: string): string {
  const named = new URL(url);
  named.searchParams.set("application_name", name);
  return named.toString();
}

/**
 * CPU so far of the PostgreSQL backends serving connections whose name starts with `prefix` (namedConnections).
 * Backends are processes on this machine, read from /proc like the hub's own. One that ended between two readings
 * takes its time with it, so pools must keep their connections for the figure to be whole (both sides' do).
 */
export async function databaseCpuMicros(adminUrl: string, prefix: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE starts_with(application_name, $1)",
      [prefix],
    );
    let micros = 0;
    for (const { pid } of rows) {
      try {
        micros += cpuMicros(pid);
      } catch {
        // Ended since the query: its time is gone either way.
      }
    }
    return micros;
  } finally {
    await client.end();
  }
}
