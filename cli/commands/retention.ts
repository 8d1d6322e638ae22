import { type Command, say, usage } from "../command.ts";
import { DATA_HELP, DATA_OPTIONS, dataDir } from "./offline.ts";

export const retentionCommands: Command[] = [
  {
    name: "retention run",
    summary: "purge what each data owner keeps past retention, auditing every purge",
    usage: "[--now 2031-01-01T00:00:00Z]",
    detail: `Negative records go five years after the behaviour ended. The hub also does this itself every
RETENTION_INTERVAL_HOURS; --now rehearses what a run on a later date will remove.\n${DATA_HELP}`,
    options: { ...DATA_OPTIONS, now: { type: "string" } },
    async run(args) {
      const { values } = args;
      const now = values.now ? new Date(String(values.now)) : new Date();
      if (Number.isNaN(now.getTime()))
        throw usage(`--now must be an ISO date, e.g. 2031-01-01T00:00:00Z; got ${values.now}.`);
      const { openOwnerDatabases } = await import("../../hub/owner-databases.ts");
      for (const owner of await openOwnerDatabases(dataDir(args), args.io.env)) {
        try {
          if (!owner.retention) continue;
          args.io.stdout.write(`${owner.name}: purging records past retention as of ${now.toISOString()}… `);
          say(args.io.stdout, `${await owner.retention(now)} purged.`);
        } finally {
          await owner.close();
        }
      }
    },
  },
];
