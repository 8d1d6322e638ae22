/** What `npm run hub -- <command>` does, as a function of the command line, the environment and the streams. */
import { parseArgs } from "node:util";
import { loadSettings, SettingsError } from "../operations/settings.ts";
import { CliError, type CliIo, type Command, processIo, say } from "./command.ts";
import { auditCommands } from "./commands/audit.ts";
import { documentCommands } from "./commands/documents.ts";
import { grantCommands } from "./commands/grants.ts";
import { keyCommands } from "./commands/keys.ts";
import { organisationCommands } from "./commands/organisations.ts";
import { receiptCommands } from "./commands/receipts.ts";
import { reportCommands } from "./commands/reports.ts";
import { retentionCommands } from "./commands/retention.ts";
import { signingKeyCommands } from "./commands/signing-key.ts";
import { supergraphCommands } from "./commands/supergraph.ts";

const COMMANDS: Command[] = [
  ...organisationCommands,
  ...keyCommands,
  ...grantCommands,
  ...auditCommands,
  ...retentionCommands,
  ...supergraphCommands,
  ...documentCommands,
  ...signingKeyCommands,
  ...receiptCommands,
  ...reportCommands,
];

function overview(commands = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: npm run hub -- <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "npm run hub -- <command> --help shows a command's options.",
  ].join("\n");
}

function help(command: Command): string {
  return [
    `usage: npm run hub -- ${command.name} ${command.usage}`.trimEnd(),
    "",
    command.summary,
    "",
    command.detail ?? "",
  ]
    .join("\n")
    .trimEnd();
}

/** The command the leading words name: the longest match, so "keys issue" wins over a group "keys". */
function find(argv: string[]): { command: Command; rest: string[] } | { group: Command[] } | null {
  for (let words = Math.min(argv.length, 2); words > 0; words--) {
    const name = argv.slice(0, words).join(" ");
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
  return group.length ? { group } : null;
}

/**
 * Runs one command line and gives its exit status: 0 done, 1 failed or found damage, 2 wrong usage. `cli/hub.ts`
 * runs it with the process's own environment and streams; the tests run it in-process with theirs, which spares
 * a process start per command.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    say(io.stdout, overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = find(argv);
  if (!found) {
    say(io.stderr, `Unknown command "${argv[0]}".\n\n${overview()}`);
    return 2;
  }
  if ("group" in found) {
    const wantsHelp = argv.includes("--help") || argv.includes("-h");
    const text = overview(found.group);
    if (wantsHelp) say(io.stdout, text);
    else
      say(
        io.stderr,
        `${argv[1] ? `Unknown command "${argv.slice(0, 2).join(" ")}".` : `"${argv[0]}" needs a command.`}\n\n${text}`,
      );
    return wantsHelp ? 0 : 2;
  }
  const { command, rest } = found;
  if (rest.includes("--help") || rest.includes("-h")) {
    say(io.stdout, help(command));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    say(io.stderr, `${(error as Error).message}\n\n${help(command)}`);
    return 2;
  }
  // Every setting the tools read, checked before the command runs: one line per bad one.
  let debug = false;
  try {
    debug = Boolean(loadSettings("cli", io.env).DEBUG);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    say(io.stderr, `error: fix these settings (see the README's Configuration):\n  ${error.problems.join("\n  ")}`);
    return 1;
  }
  try {
    await command.run({ ...(parsed as Omit<Parameters<Command["run"]>[0], "io">), io });
    return 0;
  } catch (error) {
    say(io.stderr, `error: ${(error as Error).message}`);
    if (debug && !(error instanceof CliError)) say(io.stderr, String((error as Error).stack));
    return error instanceof CliError ? error.exitCode : 1;
  }
}
