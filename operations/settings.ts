import { z } from "zod";

/**
 * Every setting the hub's processes read from the environment, in one place:
 * each a zod schema with its default, what it means and what a valid value
 * looks like. A process checks its settings once at start
 * (`settingsOrExit`) and stops with one line per bad setting — its name, the
 * value it got and what it expects — instead of running with NaN or a
 * silently different default. The README's table of settings is printed from
 * here (`npm run settings`) and checked against it (`npm run settings:check`).
 *
 * This is the one module that reads `process.env`; everything else is given
 * the parsed values, or the environment to parse (tests pass their own).
 */

/** An environment: `process.env`, or a test's own object. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The processes of the hub, each with the settings it reads. */
export const PROCESSES = {
  hub: "the whole hub in one process (`npm start`)",
  gateway: "the gateway alone (`npm run start:gateway`)",
  subgraph: "one subgraph alone (`npm run start:subgraph -- <name>`, a partner's SDK subgraph)",
  cli: "the operator's tools (`npm run hub`, `npm run bureau-sync`)",
  bench: "the benchmarks (`npm run bench`, `npm run bench:audit-crash`)",
} as const;
export type ProcessName = keyof typeof PROCESSES;

const SERVERS: ProcessName[] = ["hub", "gateway", "subgraph"];
const GATEWAYS: ProcessName[] = ["hub", "gateway"];
const OWNERS: ProcessName[] = ["hub", "subgraph"];

interface Spec<S extends z.ZodType> {
  /** The processes that read it. */
  processes: ProcessName[];
  /** The default as the README shows it (Markdown). */
  default: string;
  /** What it does (Markdown). */
  meaning: string;
  /** What a valid value is, completing "<NAME> must be …". */
  expected: string;
  /** Parses the value; `undefined` when unset (or empty). */
  schema: S;
}
const spec = <S extends z.ZodType>(s: Spec<S>) => s;

// ---- value kinds ---------------------------------------------------------------------------------------------

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
/** A number, decimals allowed (seconds, hours). */
const decimal = (min: number, max = Number.MAX_VALUE, exclusiveMin = false) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$|^\.\d+$/)
    .transform(Number)
    .pipe(exclusiveMin ? z.number().gt(min).max(max) : z.number().min(min).max(max));
const port = wholeNumber(0, 65535);
/** A whole number above 0, or "off" (null: the limit is lifted). */
const limitOrOff = z.union([z.literal("off").transform(() => null), wholeNumber(1)]);
/** 1/true or 0/false. */
const flag = z.enum(["1", "true", "0", "false"]).transform((v) => v === "1" || v === "true");
const text = z.string();
const httpUrl = z
  .string()
  .trim()
  .regex(/^https?:\/\/\S+$/);
const postgresUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\/\S+$/);
/** A JWK given as JSON text (kept as text: the key loaders import it). */
const jwkJson = z.string().refine((value) => {
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
});
const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;

// ---- the settings ---------------------------------------------------------------------------------------------

export const SETTINGS = {
  PORT: spec({
    processes: SERVERS,
    default: "`4000`; a subgraph: its port in `supergraph.config.json`",
    meaning: "public port; `0` for any free port",
    expected: "a port number from 0 to 65535",
    schema: port.optional(),
  }),
  HOST: spec({
    processes: SERVERS,
    default: "`127.0.0.1`",
    meaning: "interface the public port listens on (`0.0.0.0` to expose it)",
    expected: "a host name or address",
    schema: text.default("127.0.0.1"),
  }),
  DATA_DIR: spec({
    processes: ["hub", "gateway", "subgraph", "cli"],
    default: "`./data`",
    meaning: "PGlite data (one folder per subgraph), keys, demo credentials",
    expected: "a folder",
    schema: text.default("data"),
  }),
  NODE_ENV: spec({
    processes: SERVERS,
    default: "—",
    meaning:
      '`production`: introspection and "did you mean" suggestions only for hub operators (`OPERATOR` keys); GraphiQL off unless `GRAPHIQL=1`; rate limits on; no API key printed at start (`npm start` names `data/demo-credentials.json`, mode 0600, instead)',
    expected: "a name such as production",
    schema: text.optional(),
  }),
  DATABASE_POOL_SIZE: spec({
    processes: ["hub", "subgraph", "cli"],
    default: "`10`",
    meaning: "connections per subgraph pool on PostgreSQL",
    expected: "a whole number of connections ≥ 1",
    schema: wholeNumber(1).default(10),
  }),
  PGLITE_SHARED_BUFFERS: spec({
    processes: ["hub", "subgraph", "cli"],
    default: "`16MB`",
    meaning:
      "each embedded PGlite database's buffer cache (PostgreSQL's shared_buffers): PGlite zeroes it at every start and a hub runs four, so it is smaller than PostgreSQL's 128MB; raise it for large data, or use PostgreSQL",
    expected: "a size in kB or MB, 1MB to 1024MB",
    schema: z
      .string()
      .trim()
      .regex(/^\d+(kB|MB)$/)
      .refine((v) => {
        const kb = Number.parseInt(v, 10) * (v.endsWith("MB") ? 1024 : 1);
        return kb >= 1024 && kb <= 1024 * 1024;
      })
      .default("16MB"),
  }),
  HUB_SIGNING_KEY: spec({
    processes: ["hub", "gateway", "cli"],
    default: "generated",
    meaning: "the gateway's Ed25519 private key as JWK JSON; by default `DATA_DIR/keys/hub-signing.jwk.json`",
    expected: "a private JWK as JSON",
    schema: jwkJson.optional(),
  }),
  HUB_PUBLIC_KEY: spec({
    processes: ["subgraph"],
    default: "`DATA_DIR/keys/hub-signing.public.jwk.json`",
    meaning: "the gateway's public JWK as JSON, which verifies hub tokens",
    expected: "a public JWK as JSON",
    schema: jwkJson.optional(),
  }),
  LOG_LEVEL: spec({
    processes: SERVERS,
    default: "`info`",
    meaning:
      "`trace`, `debug`, `info`, `warn` or `error`; logs are JSON lines on stderr, with no credit data at any level",
    expected: `one of ${LOG_LEVELS.join(", ")}`,
    schema: z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .pipe(z.enum(LOG_LEVELS))
      .default("info"),
  }),
  LOG_REPEAT_WINDOW_SECONDS: spec({
    processes: SERVERS,
    default: "`10`",
    meaning: "a log line repeated within this window is written once, then summarised with its count",
    expected: "a number of seconds from 0.1 to 3600",
    schema: decimal(0, 3600, true).default(10),
  }),
  OPERATOR_HOST: spec({
    processes: SERVERS,
    default: "`127.0.0.1`",
    meaning:
      "interface of the operator's address: `/metrics`, `/readiness`, `/health/subgraphs` (gateway), `/healthcheck`",
    expected: "a host name or address",
    schema: text.default("127.0.0.1"),
  }),
  OPERATOR_PORT: spec({
    processes: SERVERS,
    default: "`PORT`+100",
    meaning:
      "its port: 4100 for the gateway and `npm start` (which also serves each subgraph's under `/subgraphs/<name>/`), 4101… beside a subgraph's 4001…; `0` for any free port (printed at start)",
    expected: "a port number (0 for any free port)",
    schema: port.optional(),
  }),
  GRAPHIQL: spec({
    processes: GATEWAYS,
    default: "on; off in production",
    meaning: "`1` serves GraphiQL at `/graphql` to browsers, `0` does not; with `NODE_ENV=production` off unless `1`",
    expected: "1 (on) or 0 (off)",
    schema: z
      .enum(["1", "0"])
      .transform((v) => v === "1")
      .optional(),
  }),
  HTTP_HEADERS_TIMEOUT_MS: spec({
    processes: SERVERS,
    default: "`10000`",
    meaning: "a client's request headers must arrive within this (gateway, subgraphs, operator addresses)",
    expected: "a whole number of milliseconds above 0",
    schema: wholeNumber(1).default(10_000),
  }),
  HTTP_REQUEST_TIMEOUT_MS: spec({
    processes: SERVERS,
    default: "`30000`",
    meaning: "its whole request, body included, within this; then 408 and the connection closes",
    expected: "a whole number of milliseconds above 0",
    schema: wholeNumber(1).default(30_000),
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: spec({
    processes: SERVERS,
    default: "`5000`",
    meaning: "an idle kept-alive connection closes after this",
    expected: "a whole number of milliseconds above 0",
    schema: wholeNumber(1).default(5_000),
  }),
  GRAPHQL_MAX_DEPTH: spec({
    processes: GATEWAYS,
    default: "`12`",
    meaning: "deepest selection (fragments followed); `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.default(12),
  }),
  GRAPHQL_MAX_ALIASES: spec({
    processes: GATEWAYS,
    default: "`120`",
    meaning: "aliases per operation (a bank asking about 100 enterprises in one query needs 100); `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.default(120),
  }),
  GRAPHQL_MAX_DIRECTIVES: spec({
    processes: GATEWAYS,
    default: "`20`",
    meaning: "directives per operation; `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.default(20),
  }),
  GRAPHQL_MAX_TOKENS: spec({
    processes: GATEWAYS,
    default: "`10000`",
    meaning: "lexical tokens per operation, counted before parsing; `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.default(10_000),
  }),
  GRAPHQL_MAX_COST: spec({
    processes: GATEWAYS,
    default: "`10000`",
    meaning: "estimated cost of an operation (`QUERY_TOO_COSTLY` above it); `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.default(10_000),
  }),
  GRAPHQL_MAX_BATCH: spec({
    processes: GATEWAYS,
    default: "`1`",
    meaning: "operations per batched request (1: no batching)",
    expected: "a whole number above 0",
    schema: limitOrOff.transform((v) => v ?? 1).default(1),
  }),
  MAX_BODY_BYTES: spec({
    processes: GATEWAYS,
    default: "`262144`",
    meaning: "request body size",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.transform((v) => v ?? 256 * 1024).default(256 * 1024),
  }),
  MAX_RESPONSE_BYTES: spec({
    processes: GATEWAYS,
    default: "`4194304`",
    meaning: "answer size; a larger answer is replaced by `RESPONSE_TOO_LARGE`; `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.default(4 * 1024 * 1024),
  }),
  CORS_ORIGINS: spec({
    processes: GATEWAYS,
    default: "—",
    meaning: "comma-separated origins browsers may call from; none: no cross-origin calls",
    expected: "origins separated by commas",
    schema: text
      .transform((v) =>
        v
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .default([]),
  }),
  RATE_LIMIT_PER_MINUTE: spec({
    processes: GATEWAYS,
    default: "`600` in production, else off",
    meaning: "requests per minute per organisation (anonymous: per client address); `off` to lift",
    expected: 'a whole number above 0, or "off"',
    schema: limitOrOff.optional(),
  }),
  SUBGRAPH_TIMEOUT_MS: spec({
    processes: GATEWAYS,
    default: "`10000`",
    meaning: "how long the gateway waits for a subgraph; `SUBGRAPH_TIMEOUT_MS_<NAME>` for one",
    expected: "a whole number of milliseconds above 0",
    schema: wholeNumber(1).default(10_000),
  }),
  SHUTDOWN_GRACE_MS: spec({
    processes: GATEWAYS,
    default: "`10000`",
    meaning: "how long accepted requests may run on after SIGTERM",
    expected: "a whole number of milliseconds ≥ 0",
    schema: wholeNumber(0).default(10_000),
  }),
  TRUSTED_DOCUMENTS_ONLY: spec({
    processes: GATEWAYS,
    default: "`0`",
    meaning: "`1`: anonymous callers may run only registered operations (see Trusted documents)",
    expected: "1 or 0",
    schema: flag.default(false),
  }),
  TRUSTED_DOCUMENTS_FILE: spec({
    processes: ["hub", "gateway", "cli"],
    default: "—",
    meaning: 'a manifest of registered operations, `{ "<sha256>": "query …" }`, checked at start',
    expected: "a file",
    schema: text.optional(),
  }),
  REGISTRY_CACHE_SECONDS: spec({
    processes: GATEWAYS,
    default: "`5`",
    meaning:
      "how long the gateway reuses the registry's word that an API key or identity-provider token is valid: one revoked through another gateway, or expired, stops working at most this long after (through this gateway, at once); `0` asks the registry on every request",
    expected: "a number of seconds ≥ 0",
    schema: decimal(0, 300).default(5),
  }),
  SUPERGRAPH_POLL_SECONDS: spec({
    processes: GATEWAYS,
    default: "`60`",
    meaning:
      "how often the gateway recomposes from `supergraph.config.json` (or rereads `SUPERGRAPH_FILE`); `0` turns it off",
    expected: "a number of seconds ≥ 0",
    schema: decimal(0).default(60),
  }),
  SUPERGRAPH_FILE: spec({
    processes: ["gateway", "cli"],
    default: "—",
    meaning:
      "a composed supergraph the gateway serves instead of composing at start; where `npm run hub -- supergraph compose` writes it",
    expected: "a file",
    schema: text.optional(),
  }),
  CONSENT_MAX_MONTHS: spec({
    processes: OWNERS,
    default: "`12`",
    meaning:
      "the longest a consent may last (the registry refuses a longer one, asked for or given); an enterprise can always consent again",
    expected: "a whole number of months from 1 to 60",
    schema: wholeNumber(1, 60).default(12),
  }),
  CONSENT_REQUEST_DAYS: spec({
    processes: OWNERS,
    default: "`30`",
    meaning: "how long a consent request waits for the enterprise's answer before it lapses (EXPIRED)",
    expected: "a whole number of days from 1 to 365",
    schema: wholeNumber(1, 365).default(30),
  }),
  REPORT_FONT: spec({
    processes: ["hub", "subgraph", "cli"],
    default: "Debian's fonts-wqy-microhei, else fonts-noto-cjk",
    meaning:
      "the CJK font standing reports are printed with (the registry's `pdf`, `npm run hub -- report pdf`): a TTF/OTF file, or `path#Face` for a collection (TTC)",
    expected: "a path to a font file",
    schema: text.optional(),
  }),
  GRANTS_CACHE_SECONDS: spec({
    processes: OWNERS,
    default: "`5`",
    meaning:
      "how long an owner keeps the sharing grants a consumer holds: a grant made or revoked through this process counts at once, through another replica of the same owner at most this long after; `0` reads them on every request",
    expected: "a number of seconds ≥ 0",
    schema: decimal(0, 300).default(5),
  }),
  AUDIT_CHECKPOINT_SECONDS: spec({
    processes: OWNERS,
    default: "`60`",
    meaning: "how often an owner signs the head of its audit log; `0` turns it off",
    expected: "a number of seconds ≥ 0",
    schema: decimal(0).default(60),
  }),
  RETENTION_INTERVAL_HOURS: spec({
    processes: OWNERS,
    default: "`24`",
    meaning: "how often an owner purges records past their retention; `0` turns it off",
    expected: "a number of hours ≥ 0",
    schema: decimal(0).default(24),
  }),
  HUB_URL: spec({
    processes: ["cli"],
    default: "`http://localhost:4000/graphql`",
    meaning: "the gateway the CLI calls (`--url`)",
    expected: "an http(s) URL",
    schema: httpUrl.default("http://localhost:4000/graphql"),
  }),
  HUB_API_KEY: spec({
    processes: ["cli"],
    default: "—",
    meaning: "the API key the CLI acts with (`--api-key`)",
    expected: "an API key",
    schema: text.optional(),
  }),
  BUREAU_API_KEY: spec({
    processes: ["cli"],
    default: "—",
    meaning: "the bureau's API key for `npm run bureau-sync` (`--key`)",
    expected: "an API key",
    schema: text.optional(),
  }),
  DEBUG: spec({
    processes: ["cli"],
    default: "—",
    meaning: "any value: the CLI prints the stack of an unexpected error",
    expected: "any value",
    schema: text.optional(),
  }),
  BENCH_POSTGRES: spec({
    processes: ["bench"],
    default: "`postgres://postgres@127.0.0.1:5432/test`",
    meaning: "the PostgreSQL server `npm run bench` creates its databases on",
    expected: "a postgres:// URL",
    schema: postgresUrl.default("postgres://postgres@127.0.0.1:5432/test"),
  }),
  CREDIT_HUB_CRASH_POSTGRES: spec({
    processes: ["bench"],
    default: "`postgres://postgres@127.0.0.1:5432/test`",
    meaning: "the PostgreSQL server of `npm run bench:audit-crash` (`--postgres`)",
    expected: "a postgres:// URL",
    schema: postgresUrl.default("postgres://postgres@127.0.0.1:5432/test"),
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]["schema"]> };

/** Settings with one of each per owner subgraph, `<PREFIX><NAME>` (NAME upper-case). */
export const OWNER_SETTINGS = {
  DATABASE_URL_: spec({
    processes: ["hub", "subgraph", "cli"],
    default: "—",
    meaning:
      "PostgreSQL for that subgraph instead of PGlite, e.g. `DATABASE_URL_ASSOCIATIONS=postgres://hub@db-host/associations`",
    expected: "a postgres:// URL",
    schema: postgresUrl.optional(),
  }),
  SUBGRAPH_URL_: spec({
    processes: ["hub", "gateway", "subgraph", "cli"],
    default: "`supergraph.config.json`",
    meaning: "where that subgraph listens, instead of its URL in `supergraph.config.json`",
    expected: "an http(s) URL",
    schema: httpUrl.optional(),
  }),
  SUBGRAPH_TIMEOUT_MS_: spec({
    processes: GATEWAYS,
    default: "`SUBGRAPH_TIMEOUT_MS`",
    meaning: "how long the gateway waits for that subgraph",
    expected: "a whole number of milliseconds above 0",
    schema: wholeNumber(1).optional(),
  }),
  AUDIT_SIGNING_KEY_: spec({
    processes: OWNERS,
    default: "generated",
    meaning: "that owner's Ed25519 private key for its audit log and signed records, as JWK JSON",
    expected: "a private JWK as JSON",
    schema: jwkJson.optional(),
  }),
  AUDIT_PUBLIC_KEY_: spec({
    processes: ["cli"],
    default: "`DATA_DIR/keys/<name>-audit.public.jwk.json`",
    meaning: "the public JWK that verifies that owner's audit checkpoints (`hub audit verify`)",
    expected: "a public JWK as JSON",
    schema: jwkJson.optional(),
  }),
  TRUSTED_KEY_: spec({
    processes: ["subgraph"],
    default: "`DATA_DIR/keys/<name>-audit.public.jwk.json`",
    meaning: "the public JWK of an owner whose signed records this subgraph accepts",
    expected: "a public JWK as JSON",
    schema: jwkJson.optional(),
  }),
} as const;
export type OwnerSettingPrefix = keyof typeof OWNER_SETTINGS;

// ---- parsing --------------------------------------------------------------------------------------------------

/** One or more bad settings; `problems` has one line per setting. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "SettingsError";
  }
}

/** The value as an error message may show it: quoted, and cut short (it may be a key). */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function problem(name: string, expected: string, value: string): string {
  return `${name} must be ${expected}, got ${shown(value)}`;
}

/** Unset and empty are the same: the default. */
const given = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value);

function parseOne<S extends z.ZodType>(name: string, s: Spec<S>, env: Env, problems: string[]): z.output<S> {
  const raw = given(env[name]);
  const result = s.schema.safeParse(raw);
  if (!result.success) {
    problems.push(problem(name, s.expected, raw ?? ""));
    return undefined as z.output<S>;
  }
  return result.data as z.output<S>;
}

/** The named settings, parsed; a SettingsError names every bad one. */
export function readSettings<K extends SettingName>(names: readonly K[], env: Env = process.env): Pick<Settings, K> {
  const problems: string[] = [];
  const out = {} as Pick<Settings, K>;
  for (const name of names) out[name] = parseOne(name, SETTINGS[name] as Spec<z.ZodType>, env, problems) as Settings[K];
  crossCheck(out, problems);
  if (problems.length) throw new SettingsError(problems);
  return out;
}

/** What one setting depends on another for. */
function crossCheck(parsed: Partial<Settings>, problems: string[]) {
  const { HTTP_HEADERS_TIMEOUT_MS: headers, HTTP_REQUEST_TIMEOUT_MS: request } = parsed;
  // Node refuses a headers limit above the request limit; say so in the hub's terms.
  if (headers !== undefined && request !== undefined && headers > request)
    problems.push(`HTTP_HEADERS_TIMEOUT_MS must not be above HTTP_REQUEST_TIMEOUT_MS, got ${headers} and ${request}`);
}

/** The names of the settings a process reads. */
export function settingNames(processName: ProcessName): SettingName[] {
  return (Object.keys(SETTINGS) as SettingName[]).filter((name) =>
    (SETTINGS[name].processes as ProcessName[]).includes(processName),
  );
}

/**
 * Every setting of a process checked, the per-owner ones (`DATABASE_URL_<NAME>`, …) included: the parsed
 * settings, or a SettingsError with one line per bad setting.
 */
export function loadSettings(processName: ProcessName, env: Env = process.env): Settings {
  const problems: string[] = [];
  const out = {} as Record<SettingName, unknown>;
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const s = SETTINGS[name] as Spec<z.ZodType>;
    // Another process's settings are parsed too (they are typed), but only checked by the processes that read them.
    const own = (s.processes as ProcessName[]).includes(processName);
    out[name] = parseOne(name, s, own ? env : {}, own ? problems : []);
  }
  for (const [prefix, s] of Object.entries(OWNER_SETTINGS) as [OwnerSettingPrefix, Spec<z.ZodType>][]) {
    if (!(s.processes as ProcessName[]).includes(processName)) continue;
    for (const name of Object.keys(env).sort())
      if (name.startsWith(prefix) && name.length > prefix.length) parseOne(name, s, env, problems);
  }
  crossCheck(out as Settings, problems);
  if (problems.length) throw new SettingsError(problems);
  return out as Settings;
}

/**
 * For a process's entry point: its settings, or — when any is bad — one line per bad setting on stderr
 * (after "<who> could not start:") and exit code 1, before anything else happens.
 */
export function settingsOrExit(processName: ProcessName, who: string, env: Env = process.env): Settings {
  try {
    return loadSettings(processName, env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`${who} could not start: fix these settings (see the README's Configuration):`);
    for (const line of error.problems) console.error(`  ${line}`);
    process.exit(1);
  }
}

/** One owner's setting, `<PREFIX><NAME>`: parsed, undefined when unset; a SettingsError when malformed. */
export function ownerSetting<P extends OwnerSettingPrefix>(
  prefix: P,
  owner: string,
  env: Env = process.env,
): z.output<(typeof OWNER_SETTINGS)[P]["schema"]> {
  const problems: string[] = [];
  const value = parseOne(`${prefix}${owner.toUpperCase()}`, OWNER_SETTINGS[prefix] as Spec<z.ZodType>, env, problems);
  if (problems.length) throw new SettingsError(problems);
  return value as z.output<(typeof OWNER_SETTINGS)[P]["schema"]>;
}

/** SUBGRAPH_TIMEOUT_MS_<NAME>, else SUBGRAPH_TIMEOUT_MS, else 10 s: each subgraph's, read once. */
export function subgraphTimeouts(env: Env = process.env): (subgraph: string | undefined) => number {
  const { SUBGRAPH_TIMEOUT_MS } = readSettings(["SUBGRAPH_TIMEOUT_MS"], env);
  const own = new Map<string, number | undefined>();
  return (subgraph) => {
    if (!subgraph) return SUBGRAPH_TIMEOUT_MS;
    if (!own.has(subgraph)) own.set(subgraph, ownerSetting("SUBGRAPH_TIMEOUT_MS_", subgraph, env));
    return own.get(subgraph) ?? SUBGRAPH_TIMEOUT_MS;
  };
}

// ---- the README's table ---------------------------------------------------------------------------------------

const cell = (value: string) => value.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The README's table of settings (Markdown), from the schemas above. */
export function settingsTable(): string {
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(SETTINGS) as [string, Spec<z.ZodType>][])
    rows.push([`\`${name}\``, s.processes.join(", "), s.default, s.meaning]);
  for (const [prefix, s] of Object.entries(OWNER_SETTINGS) as [string, Spec<z.ZodType>][])
    rows.push([`\`${prefix}<NAME>\``, s.processes.join(", "), s.default, s.meaning]);
  const lines = [
    "| variable | process | default | meaning |",
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}
