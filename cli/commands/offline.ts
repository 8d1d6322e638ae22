import { resolve } from "node:path";
import { readSettings } from "../../operations/settings.ts";
import type { Parsed } from "../command.ts";

/** Commands that open the owners' databases themselves, beside (not through) the hub. */
export const DATA_OPTIONS = { data: { type: "string" } } as const;

export const DATA_HELP = `Opens the owners' databases directly: DATABASE_URL_<OWNER> for PostgreSQL, or the PGlite folders
under --data DIR (DATA_DIR; default ./data), which the hub must not be holding at the time.`;

export const dataDir = ({ values, io }: Parsed) =>
  resolve(String(values.data ?? readSettings(["DATA_DIR"], io.env).DATA_DIR));
