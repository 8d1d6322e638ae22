/**
 * npm run hub -- <command> [options]   (npm run hub -- --help lists them)
 *
 * The operator's tool. Commands that change who may do what (organisations,
 * keys, grants) go through the running hub's gateway with an API key, so the
 * owners check and record them like any other request; commands that need the
 * databases or files themselves (audit, retention, supergraph, documents) work
 * beside it. Exit status: 0 done, 1 failed or found damage, 2 wrong usage.
 */
import { parseArgs } from "node:util";
import { loadSettings, SettingsError } from "../operations/settings.ts";
import { CliError, type Command } from "./command.ts";
import { auditCommands } from "./commands/audit.ts";
import { documentCommands } from "./commands/documents.ts";
import { grantCommands } from "./commands/grants.ts";
import { keyCommands } from "./commands/keys.ts";
import { organisationCommands } from "./commands/organisations.ts";
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

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    console.log(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = find(argv);
  if (!found) {
    console.error(`Unknown command "${argv[0]}".\n\n${overview()}`);
    return 2;
  }
  if ("group" in found) {
    const wantsHelp = argv.includes("--help") || argv.includes("-h");
    const text = overview(found.group);
    if (wantsHelp) console.log(text);
    else
      console.error(
        `${argv[1] ? `Unknown command "${argv.slice(0, 2).join(" ")}".` : `"${argv[0]}" needs a command.`}\n\n${text}`,
      );
    return wantsHelp ? 0 : 2;
  }
  const { command, rest } = found;
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(help(command));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help(command)}`);
    return 2;
  }
  // Every setting the tools read, checked before the command runs: one line per bad one.
  let debug = false;
  try {
    debug = Boolean(loadSettings("cli").DEBUG);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`error: fix these settings (see the README's Configuration):\n  ${error.problems.join("\n  ")}`);
    return 1;
  }
  try {
    await command.run(parsed as Parameters<Command["run"]>[0]);
    return 0;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    if (debug && !(error instanceof CliError)) console.error((error as Error).stack);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

process.exit(await main(process.argv.slice(2)));
