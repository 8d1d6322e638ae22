import { renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Composition builds every subgraph's schema: loaded when a command here runs, not for the others. */
const composer = () => import("../../hub/compose.ts");

import { readSettings } from "../../operations/settings.ts";
import { CliError, type Command, say } from "../command.ts";

export const supergraphCommands: Command[] = [
  {
    name: "supergraph compose",
    summary: "compose the supergraph from the supergraph config, for a gateway that serves SUPERGRAPH_FILE",
    usage: "[--config supergraph.config.json] [--out FILE]",
    detail: `Writes FILE (--out, or SUPERGRAPH_FILE) in one step (a temporary file renamed over it), so a gateway
polling it never reads half a supergraph; it picks the new one up within SUPERGRAPH_POLL_SECONDS.
When composition fails, nothing is written, the reasons are printed and the exit status is 1:
the gateway keeps serving what it has. Without a file, prints the supergraph.`,
    options: { config: { type: "string" }, out: { type: "string" } },
    async run({ values, io }) {
      const { composeSupergraph } = await composer();
      const { loadSupergraphConfig, SUPERGRAPH_CONFIG_FILE } = await import("../../hub/supergraph-config.ts");
      let supergraph: string;
      try {
        const config = loadSupergraphConfig(resolve(String(values.config ?? SUPERGRAPH_CONFIG_FILE)));
        say(io.stderr, `composing ${config.length} subgraphs: ${config.map((s) => s.name).join(", ")}…`);
        supergraph = composeSupergraph(config);
      } catch (error) {
        throw new CliError(`The supergraph did not compose; nothing was written.\n${(error as Error).message}`);
      }
      const out = (values.out as string | undefined) ?? readSettings(["SUPERGRAPH_FILE"], io.env).SUPERGRAPH_FILE;
      if (!out) return void io.stdout.write(supergraph);
      const target = resolve(out);
      const temporary = `${target}.${process.pid}.tmp`;
      writeFileSync(temporary, supergraph);
      renameSync(temporary, target);
      say(io.stderr, `wrote ${target}`);
    },
  },
  {
    name: "schema compose",
    summary: "(development) print every subgraph's SDL and the supergraph into schema/",
    usage: "[--check]",
    detail: "With --check, changes nothing and exits 1 when schema/ is not what the code composes.",
    options: { check: { type: "boolean" } },
    async run({ values, io }) {
      const { composeSchemaFiles, driftedSchemaFiles } = await composer();
      const files = composeSchemaFiles();
      const drifted = driftedSchemaFiles(files);
      const names = drifted.map((f) => fileURLToPath(f.url)).join(", ");
      if (values.check) {
        if (drifted.length) throw new CliError(`Out of date: ${names}\nRun \`npm run compose\` and commit the result.`);
        say(io.stdout, `schema/ is up to date (${files.length} files).`);
        return;
      }
      for (const file of drifted) writeFileSync(file.url, file.content);
      say(io.stdout, drifted.length ? `Wrote ${names}` : "schema/ was already up to date.");
    },
  },
];
