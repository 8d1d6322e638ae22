import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

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
  child: ChildProcess;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const started: Proc[] = [];

/** Every process started and not yet stopped. */
export const running = (): readonly Proc[] => started.filter((p) => p.child.exitCode === null);

export async function startProcess(
  role: string,
  script: string[],
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<Proc> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", ...script], {
    env: { ...process.env, LOG_LEVEL: "error", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  for (let i = 0; i < 1200 && !ready.test(output); i++) {
    if (child.exitCode !== null) throw new Error(`${role} exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const match = ready.exec(output);
  if (!match) {
    child.kill("SIGKILL");
    throw new Error(`${role} did not start:\n${output}`);
  }
  const proc = { role, pid: child.pid ?? 0, url: match[1] ?? "", operatorUrl: match[2] ?? "", child };
  started.push(proc);
  // Nothing more is read; keep the pipes from filling.
  child.stdout?.removeAllListeners("data").resume();
  child.stderr?.removeAllListeners("data").resume();
  return proc;
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    started.splice(0).map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          p.child.once("exit", () => resolve());
          p.child.kill("SIGTERM");
          setTimeout(() => p.child.kill("SIGKILL"), 5000).unref();
        }),
    ),
  );
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
