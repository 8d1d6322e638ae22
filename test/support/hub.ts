import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { bootstrapOperator } from "../../hub/bootstrap.ts";
import { type CallOptions, graphql, mustGraphql } from "../../hub/client.ts";
import { type Hub, type HubOptions, startHub } from "../../hub/start.ts";
import { SUBGRAPHS } from "../../hub/subgraphs.ts";
import type { PrismaClient as AssociationsClient } from "../../prisma/associations/generated/client.ts";
import type { PrismaClient as RegistryClient } from "../../prisma/registry/generated/client.ts";
import { USCC_ALPHABET, withUsccCheckCharacter } from "../../protocol/uscc.ts";
import type { DatabaseLocation } from "../../subgraphs/sdk/database.ts";
import type {} from "./database-templates.ts";
import { createDatabases, databaseUrl, dropDatabases, TEST_POSTGRES } from "./postgres.ts";

export interface TestHub {
  hub: Hub;
  url: string;
  operatorKey: string;
  /** A GraphQL call through the gateway. */
  query<T = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
    options?: CallOptions,
  ): ReturnType<typeof graphql<T>>;
  /** DATABASE_URL_<NAME> for the subgraphs on PostgreSQL, for tools run beside the hub. */
  databaseEnv: Record<string, string>;
  /** Stops the hub but keeps its databases (close() also drops them). */
  stop(): Promise<void>;
  /** Admits an organisation and issues it a STAFF + ADMIN key. */
  organisation(
    type: string,
    extra?: { uscc?: string; name?: string },
  ): Promise<{ id: string; name: string; key: string }>;
  close(): Promise<void>;
}

/** Fresh databases for these subgraphs: PostgreSQL databases when CREDIT_HUB_TEST_POSTGRES is set, else in-memory PGlite. */
export async function testDatabases(
  names: readonly string[],
  dataDir?: string,
): Promise<{ databases: Record<string, DatabaseLocation>; drop(): Promise<void> }> {
  const databases: Record<string, DatabaseLocation> = {};
  if (!TEST_POSTGRES) {
    // In a folder, a copy of the migrated folder (a file copy; loading the dump into a folder is seconds).
    if (dataDir) seedDataFolder(dataDir, names);
    for (const name of names)
      databases[name] = dataDir
        ? { kind: "pglite", dataDir: join(dataDir, name) }
        : { kind: "pglite", dataDir: null, from: pgliteTemplate(name) };
    return { databases, drop: async () => {} };
  }
  const templates = inject("databaseTemplates");
  const prefix = `${templates.run}_${randomBytes(4).toString("hex")}`;
  const created = await createDatabases(TEST_POSTGRES, prefix, names, templates.postgres);
  for (const [name, db] of Object.entries(created))
    databases[name] = { kind: "postgres", url: databaseUrl(TEST_POSTGRES, db) };
  const server = TEST_POSTGRES;
  return { databases, drop: () => dropDatabases(server, `${prefix}_`) };
}

/**
 * Gives a DATA_DIR the owners' migrated PGlite folders, as a hub that has run before leaves them: for hubs started
 * as processes, which would otherwise create and migrate four databases on their first start. Nothing on PostgreSQL.
 */
export function seedDataFolder(dataDir: string, names: readonly string[] = SUBGRAPHS.map((s) => s.name)): void {
  if (TEST_POSTGRES) return;
  const folders = inject("databaseTemplates").pgliteFolders;
  for (const name of names) {
    const folder = folders[name];
    // A folder that already holds a database keeps it, as PGlite's own seeding does.
    if (folder && !existsSync(join(dataDir, name, "PG_VERSION")))
      cpSync(folder, join(dataDir, name), { recursive: true });
  }
}

const pgliteDumps = new Map<string, Blob>();

/**
 * The run's migrated PGlite database for this owner (test/support/database-templates.ts), read once per test worker.
 * Handed to PGlite as a Blob that gives back the bytes it holds: a dump is 40 MB (most of it the WAL segment), and
 * Node 20's own Blob streams it back in small chunks on every arrayBuffer() — 0.2 s of CPU a database, four per
 * hub started — while PGlite's loadDataDir only ever asks for arrayBuffer() (and copies what it unpacks).
 */
function pgliteTemplate(name: string): Blob | undefined {
  const file = inject("databaseTemplates")?.pglite[name];
  if (!file) return undefined;
  let dump = pgliteDumps.get(name);
  if (!dump) {
    const bytes = readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    dump = new (class extends Blob {
      override arrayBuffer = async () => buffer;
    })([], { type: "application/x-tar" });
    pgliteDumps.set(name, dump);
  }
  return dump;
}

export async function startTestHub(
  options: Pick<HubOptions, "now" | "supergraphConfig" | "signingKeys" | "edge" | "supergraphPollMs"> & {
    dataDir?: string;
  } = {},
): Promise<TestHub> {
  const { databases, drop } = await testDatabases(
    SUBGRAPHS.map((s) => s.name),
    options.dataDir,
  );

  const hub = await startHub({
    dataDir: options.dataDir ?? null,
    databases,
    port: 0,
    host: "127.0.0.1",
    now: options.now,
    supergraphConfig: options.supergraphConfig,
    signingKeys: options.signingKeys,
    edge: options.edge,
    supergraphPollMs: options.supergraphPollMs,
  });
  const operator = await bootstrapOperator(hub.subgraphs.registry?.db as RegistryClient);
  if (!operator) throw new Error("A fresh test hub already had an operator.");
  const url = hub.url;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= hub.close();
    return stopped;
  };

  const query: TestHub["query"] = (document, variables = {}, callOptions = {}) =>
    graphql(url, document, variables, callOptions);

  return {
    hub,
    url,
    operatorKey: operator.apiKey,
    query,
    async organisation(type, extra = {}) {
      const name = extra.name ?? `${type.toLowerCase()} ${randomBytes(4).toString("hex")}`;
      const data = await mustGraphql<{ createOrganisation: { id: string } }>(
        url,
        /* GraphQL */ `
          mutation ($input: CreateOrganisationInput!) {
            createOrganisation(input: $input) { id }
          }
        `,
        { input: { name, type, uscc: extra.uscc } },
        { apiKey: operator.apiKey },
      );
      const id = data.createOrganisation.id;
      const issued = await mustGraphql<{ issueApiKey: { key: string } }>(
        url,
        /* GraphQL */ `
          mutation ($input: IssueApiKeyInput!) {
            issueApiKey(input: $input) { key }
          }
        `,
        { input: { organisationId: id, label: "test", roles: ["STAFF", "ADMIN"] } },
        { apiKey: operator.apiKey },
      );
      return { id, name, key: issued.issueApiKey.key };
    },
    databaseEnv: Object.fromEntries(
      Object.entries(databases).flatMap(([name, db]) =>
        db.kind === "postgres" ? [[`DATABASE_URL_${name.toUpperCase()}`, db.url]] : [],
      ),
    ),
    stop,
    async close() {
      await stop();
      await drop();
    },
  };
}

let shared: Promise<TestHub> | undefined;
/** The shared hub's clock: the calling file's, or the real one. */
let sharedClock: () => Date = () => new Date();

/**
 * The test worker's one plain hub, for files whose tests need no edge or data folder of their own and own their
 * data (fresh USCCs and organisations): started by the first such file, kept for the next (the hub project runs
 * files without isolation, vitest.config.ts), so a run starts a hub per worker instead of one per file. A file
 * that moves time gives its clock here, and has it until the next file asks (files of a worker run one after
 * another). Files must not stop it or count what other files may have stored; `close` and `stop` do nothing,
 * and the run's teardown drops its databases.
 */
export function sharedTestHub(options: { now?: () => Date } = {}): Promise<TestHub> {
  sharedClock = options.now ?? (() => new Date());
  shared ??= startTestHub({ now: () => sharedClock() }).then((t) => ({
    ...t,
    stop: async () => {},
    close: async () => {},
  }));
  return shared;
}

/** A fresh, valid Unified Social Credit Code that no other test uses. */
export function newUscc(): string {
  const random = [...randomBytes(9)].map((b) => USCC_ALPHABET.charAt(b % 31)).join("");
  return withUsccCheckCharacter(`91310115${random}`);
}

/** The associations subgraph's own database, for checks a client cannot make (audit rows, retention). */
export function associationsDb(t: TestHub): AssociationsClient {
  const db = t.hub.subgraphs.associations?.db;
  if (!db) throw new Error("the test hub has no associations subgraph");
  return db as AssociationsClient;
}
