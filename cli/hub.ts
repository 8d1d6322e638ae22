/**
 * npm run hub -- <command> [options]   (npm run hub -- --help lists them)
 *
 * The operator's tool. Commands that change who may do what (organisations,
 * keys, grants) go through the running hub's gateway with an API key, so the
 * owners check and record them like any other request; commands that need the
 * databases or files themselves (audit, retention, supergraph, documents) work
 * beside it. Exit status: 0 done, 1 failed or found damage, 2 wrong usage.
 */
import { runCli } from "./run.ts";

process.exit(await runCli(process.argv.slice(2)));
