/**
 * npm run settings — writes the README's table of settings from their
 * schemas (operations/settings.ts), between `<!-- settings:start -->` and
 * `<!-- settings:end -->`, and prints it.
 * npm run settings:check — changes nothing; exits 1 when the README's table
 * is not what the schemas say (CI runs it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PROCESSES, settingsTable } from "../operations/settings.ts";

export const README_FILE = fileURLToPath(new URL("../README.md", import.meta.url));
const START = "<!-- settings:start -->";
const END = "<!-- settings:end -->";

/** What goes between the markers: which process is which, then the table. */
export function settingsRegion(): string {
  const processes = Object.entries(PROCESSES).map(([name, what]) => `\`${name}\`: ${what}`);
  return [
    "<!-- Generated from operations/settings.ts by `npm run settings`; edit the schemas there, not this table. -->",
    "",
    `Processes: ${processes.join("; ")}. Each checks its settings at start and stops, naming every malformed one. An empty value is the default.`,
    "",
    settingsTable().trimEnd(),
  ].join("\n");
}

/** The README with its settings region as the schemas say; an error when the markers are missing. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END} around its table.`);
  return `${readme.slice(0, start + START.length)}\n${settingsRegion()}\n${readme.slice(end)}`;
}

function main(args: string[]): number {
  const readme = readFileSync(README_FILE, "utf8");
  const wanted = withSettingsTable(readme);
  if (args.includes("--check")) {
    if (wanted === readme) return 0;
    console.error("README.md's settings table differs from operations/settings.ts: run `npm run settings`.");
    return 1;
  }
  if (wanted !== readme) writeFileSync(README_FILE, wanted);
  console.log(settingsTable().trimEnd());
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exit(main(process.argv.slice(2)));
