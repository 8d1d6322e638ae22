import type { ParseArgsConfig } from "node:util";
import { graphql } from "../hub/client.ts";
import { type Env, readSettings } from "../operations/settings.ts";

/**
 * What every `npm run hub -- <command>` shares: the command shape, the
 * failure that carries its exit code, the connection to a running hub, and
 * how results and progress are shown.
 */

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Where a command reads its settings and writes its output: the process's own
 * for `npm run hub`, a test's when the tests run a command in-process.
 */
export interface CliIo {
  env: Env;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export const processIo: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr };

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  io: CliIo;
}

/** A line of result (stdout) or of message (stderr). */
export const say = (stream: CliIo["stdout"], text: string) => void stream.write(`${text}\n`);

export interface Command {
  /** The words that name it, e.g. "keys issue". */
  name: string;
  summary: string;
  /** The arguments after the name, as the help shows them. */
  usage: string;
  /** Longer help: what it does, what it needs. */
  detail?: string;
  options?: Options;
  run(args: Parsed): Promise<void>;
}

/** A failure the operator can act on: its message is the whole story, its code the exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Wrong use of the command (exit 2), as opposed to the hub refusing or failing (exit 1). */
export const usage = (message: string) => new CliError(message, 2);

export const REMOTE_OPTIONS: Options = {
  url: { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean" },
};

export const REMOTE_HELP = `Talks to a running hub through its gateway, as the organisation whose key it holds:
  --url URL       the gateway (HUB_URL; default http://localhost:4000/graphql)
  --api-key KEY   the key to act with (HUB_API_KEY; prefer the variable: arguments show in the process list)
  --json          print the answer as JSON instead of a table`;

export interface Remote {
  /** Runs one operation; any GraphQL error becomes a CliError naming its code. */
  call<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  /** Like call(), but hands back the errors instead of throwing (for asking several owners). */
  attempt<T>(
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
}

export function remote({ values, io }: Parsed): Remote {
  const settings = readSettings(["HUB_URL", "HUB_API_KEY"], io.env);
  const url = String(values.url ?? settings.HUB_URL);
  const apiKey = (values["api-key"] as string | undefined) ?? settings.HUB_API_KEY;
  if (!apiKey)
    throw usage(
      "This command acts as an organisation: set HUB_API_KEY (or pass --api-key). The hub operator's first key is printed when the hub first starts.",
    );
  const attempt: Remote["attempt"] = async (document, variables = {}) => {
    try {
      return await graphql(url, document, variables, { apiKey });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new CliError(`Cannot reach the hub at ${url} (${cause}). Is it running? Set HUB_URL or --url.`);
    }
  };
  return {
    attempt,
    async call(document, variables) {
      const result = await attempt<never>(document, variables);
      const first = result.errors?.[0];
      if (first) {
        const code = first.extensions?.code;
        throw new CliError(`${first.message}${code ? ` (${code})` : ""}`);
      }
      if (!result.data) throw new CliError("The hub answered without data.");
      return result.data;
    },
  };
}

/** Prints rows as an aligned table, or as JSON with --json. */
export function print({ values, io }: Parsed, rows: Record<string, unknown>[], columns: string[]) {
  if (values.json) {
    say(io.stdout, JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    say(io.stdout, "(none)");
    return;
  }
  const text = (v: unknown) => (v === null || v === undefined ? "-" : Array.isArray(v) ? v.join(",") : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  say(io.stdout, line(columns));
  for (const row of rows) say(io.stdout, line(columns.map((c) => text(row[c]))));
}

/**
 * Progress on stderr (stdout stays the result): rewritten in place on a
 * terminal, a line every few seconds otherwise, so logs show it is alive.
 */
export function progress({ stderr }: CliIo, label: string) {
  const tty = stderr.isTTY;
  let last = 0;
  return {
    update(text: string) {
      const now = Date.now();
      if (tty) stderr.write(`\r${label}: ${text}\x1b[K`);
      else if (now - last >= 2000) stderr.write(`${label}: ${text}\n`);
      else return;
      last = now;
    },
    done() {
      if (tty) stderr.write(`\r\x1b[K`);
    },
  };
}

/** A required option, or a usage error naming it. */
export function required(values: Parsed["values"], name: string, hint: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw usage(`--${name} is required: ${hint}.`);
  return value.trim();
}

/** The one positional argument a command takes, or a usage error. */
export function onlyPositional(args: Parsed, what: string): string {
  if (args.positionals.length !== 1) throw usage(`Give exactly one ${what}.`);
  return args.positionals[0] as string;
}
