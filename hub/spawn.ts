import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * The one way the tests and the benchmarks start the hub's own programs as
 * separate processes (`hub/main.ts`, `hub/gateway-main.ts`,
 * `hub/subgraph-main.ts`, `cli/hub.ts`, a bench variant): a tsx entry under
 * `node --import tsx`, from the repository's root, with the caller's
 * environment over this one's. `startTsx` waits until the process is ready (a
 * line of its output, or a URL that answers) and fails with the process's last
 * lines of output when it is not; `stop` sends SIGTERM, SIGKILL after a grace,
 * and waits for the exit; `runTsx` runs a command to its end. Whatever is still
 * running when this process exits is killed.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** An environment over this process's: a variable set to undefined is left out. */
export type Env = Record<string, string | undefined>;

export interface StartOptions {
  /** What the process is called in errors. */
  name: string;
  /** The tsx entry and its arguments, from the repository's root: `["hub/subgraph-main.ts", "registry"]`. */
  script: string[];
  env?: Env;
  /** Node's own options, before `--import tsx`. */
  nodeArgs?: string[];
  /**
   * When the process is ready: a pattern its output (stdout and stderr together) matches, or a URL that answers
   * with a 2xx. Without one, as soon as it has started.
   */
  ready?: RegExp | { url: string };
  /** How long it may take to be ready; 90 s unless told. */
  timeoutMs?: number;
  /** Also append its output to this file, as an operator's log would keep it. */
  logFile?: string;
  /** Keep only the last this many characters of output (a long run); all of it unless told. */
  keepOutput?: number;
}

export interface Spawned {
  name: string;
  child: ChildProcess;
  pid: number;
  /** What the ready pattern matched (its groups too), when readiness was a pattern. */
  match: RegExpExecArray | null;
  /** Its output so far, stdout and stderr in the order they came. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) once the process has exited. */
  exited: Promise<number | null>;
  /** Whether it is still running. */
  running(): boolean;
  /** SIGTERM (or the signal given), SIGKILL after `graceMs`; resolves with the exit code once it has exited. */
  stop(options?: { graceMs?: number; signal?: NodeJS.Signals }): Promise<number | null>;
}

/** Every process started here and not yet ended (startTsx's and runTsx's), killed if this process exits first. */
const children = new Set<ChildProcess>();
/** startTsx's processes not yet ended, in start order. */
const started = new Set<Spawned>();
let reaping = false;
function track(child: ChildProcess) {
  if (!reaping) {
    reaping = true;
    // Nothing this process started outlives it, whether it exits or is stopped by a signal (a test runner's worker
    // is): the signal then does what it would have done, unless someone else handles it.
    const killAll = () => {
      for (const c of children) c.kill("SIGKILL");
    };
    process.once("exit", killAll);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
      process.once(signal, () => {
        killAll();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
  }
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Every process startTsx started and that still runs. */
export const runningProcesses = (): readonly Spawned[] => [...started];

/** Stops every process startTsx started that still runs (SIGTERM, SIGKILL after `graceMs`), the last started first. */
export async function stopAll(graceMs = 5000): Promise<void> {
  await Promise.all([...started].reverse().map((p) => p.stop({ graceMs })));
}

/** The last lines of some output, for an error message. */
export function lastLines(output: string, lines = 30): string {
  const all = output.trimEnd().split("\n");
  return (all.length > lines ? ["…", ...all.slice(-lines)] : all).join("\n");
}

/** Starts `node --import tsx <script>` and waits until it is ready; kills it and throws if it is not. */
export async function startTsx(options: StartOptions): Promise<Spawned> {
  const { name, ready, timeoutMs = 90_000 } = options;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", ...options.script], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(child);
  const log: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  let output = "";
  const changed = new Set<() => void>();
  const take = (data: Buffer) => {
    output += data;
    if (options.keepOutput !== undefined && output.length > options.keepOutput)
      output = output.slice(-options.keepOutput);
    log?.write(data);
    for (const wake of changed) wake();
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code) => {
      started.delete(spawned);
      if (log) log.end(() => resolve(code));
      else resolve(code);
    });
  });
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  let exit: string | undefined;
  child.once("exit", (code, signal) => {
    exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  child.once("error", (error) => {
    exit = `could not be started: ${error.message}`;
    output += `\n${error.message}`;
  });

  const spawned: Spawned = {
    name,
    child,
    pid: child.pid ?? 0,
    match: null,
    output: () => output,
    exited,
    running: () => !ended() && exit === undefined,
    stop: async ({ graceMs = 5000, signal = "SIGTERM" } = {}) => {
      if (spawned.running()) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        timer.unref();
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
  started.add(spawned);

  const deadline = Date.now() + timeoutMs;
  const fail = async (why: string): Promise<never> => {
    await spawned.stop({ graceMs: 0, signal: "SIGKILL" });
    throw new Error(`${name} ${why}; its last output:\n${lastLines(output)}`);
  };
  if (ready instanceof RegExp) {
    // Checked at every chunk of output, and when the process ends or the time is up.
    const seen = await new Promise<RegExpExecArray | null>((resolve) => {
      const check = () => {
        const match = ready.exec(output);
        if (match || !spawned.running() || Date.now() >= deadline) {
          changed.delete(check);
          clearInterval(timer);
          child.off("exit", check);
          resolve(match);
        }
      };
      const timer = setInterval(check, 100);
      changed.add(check);
      child.once("exit", check);
      check();
    });
    if (!seen)
      await fail(spawned.running() ? `was not ready after ${timeoutMs / 1000} s` : `${exit} before it was ready`);
    spawned.match = seen;
  } else if (ready) {
    for (;;) {
      if (!spawned.running()) await fail(`${exit} before ${ready.url} answered`);
      if (Date.now() >= deadline) await fail(`was not ready after ${timeoutMs / 1000} s: ${ready.url} did not answer`);
      const ok = await fetch(ready.url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } else if (exit?.startsWith("could not")) {
    await fail(exit);
  }
  return spawned;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script>` to its end (killed after `timeoutMs`, 120 s unless told): its exit code and output. */
export async function runTsx(script: string[], options: { env?: Env; timeoutMs?: number } = {}): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", ...script], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  try {
    const code = await new Promise<number>((resolve) => {
      child.once("error", (error) => {
        stderr += error.message;
        resolve(1);
      });
      child.once("close", (code, signal) => {
        if (signal) stderr += `\n${script.join(" ")} was killed by ${signal}`;
        resolve(code ?? 1);
      });
    });
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** A port nothing listens on now, for a process about to be started. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
