import { readFileSync } from "node:fs";
import { CliError, type Command, progress, say, usage } from "../command.ts";
import { DATA_HELP, DATA_OPTIONS, dataDir } from "./offline.ts";

type Kept = Record<string, { seq: string; hash: string; signature: string }[]>;

function readKept(file: string | undefined): Kept {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Kept;
  } catch (error) {
    throw usage(`--checkpoints ${file} could not be read as JSON: ${(error as Error).message}`);
  }
}

export const auditCommands: Command[] = [
  {
    name: "audit verify",
    summary: "check every data owner's audit chain: hashes, links, gaps and signed checkpoints",
    usage: "[--owner NAME]… [--checkpoints kept.json]",
    detail: `Reads each owner's log from its database, entry by entry, and checks the checkpoints in it and
those in a file someone kept (the \`checkpoints\` of every page of \`<owner>AuditCheckpoints\`, as {"associations": [...]}).
--owner checks only that owner's log (repeat it for several). Prints the first broken entry and exits 1 on damage.
${DATA_HELP}`,
    options: { ...DATA_OPTIONS, checkpoints: { type: "string" }, owner: { type: "string", multiple: true } },
    async run(args) {
      const { values } = args;
      // Loaded here, not at the top: they bring every subgraph, which the other commands do not need.
      const { openOwnerDatabases, UnknownOwnerError } = await import("../../hub/owner-databases.ts");
      const { verifyOwnerAudit } = await import("../../subgraphs/sdk/audit.ts");
      const dir = dataDir(args);
      const kept = readKept(values.checkpoints as string | undefined);
      const only = values.owner as string[] | undefined;
      const owners = await openOwnerDatabases(dir, args.io.env, only).catch((error: Error) => {
        throw error instanceof UnknownOwnerError ? usage(error.message) : error;
      });
      if (owners.length === 0) throw new CliError(`No audit logs under ${dir} (has the hub run yet?).`);
      let damaged = 0;
      for (const owner of owners) {
        try {
          const last = await owner.audit.auditEntry.findFirst({
            orderBy: { seq: "desc" },
            select: { seq: true, hash: true },
          });
          const total = last ? Number(last.seq) : 0;
          const shown = progress(args.io, `${owner.name}`);
          const extra = (kept[owner.name] ?? []).map((c) => ({ ...c, seq: BigInt(c.seq) }));
          const result = await verifyOwnerAudit(owner.audit, owner.publicJwk(), extra, (read) =>
            shown.update(`${read} of ${total} entries checked`),
          );
          shown.done();
          if (result.ok)
            say(
              args.io.stdout,
              `${owner.name}: ${result.entries} entries, ${result.checkpoints} checkpoints: chain intact.`,
            );
          else {
            damaged++;
            say(
              args.io.stdout,
              `${owner.name}: BROKEN at entry ${result.problem?.seq}: ${result.problem?.reason} (${result.entries} entries read).`,
            );
          }
        } finally {
          await owner.close();
        }
      }
      if (damaged) throw new CliError(`${damaged} audit chain(s) damaged.`);
    },
  },
];
