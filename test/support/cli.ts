import { runCli } from "../../cli/run.ts";
import type { Env, Run } from "../../hub/spawn.ts";

/**
 * `npm run hub -- <args>` run in this process, with its own environment (this
 * process's, the hub's address and key left out, then `env`) and its output
 * kept apart: what an operator's shell would show, without the second or two a
 * process start costs per command. test/cli.test.ts still runs the real
 * command once, for its wiring to the process's exit status and streams.
 */
export async function cli(args: string[], env: Env = {}): Promise<Run> {
  const merged: Env = { ...process.env, HUB_URL: undefined, HUB_API_KEY: undefined, ...env };
  const own = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, {
    env: own,
    stdout: { write: (text) => stdout.push(text) },
    stderr: { write: (text) => stderr.push(text) },
  });
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}
