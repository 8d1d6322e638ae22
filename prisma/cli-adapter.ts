import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * The driver adapter the Prisma CLI gets (prisma.config.ts): a fresh in-memory
 * PGlite for the main and the shadow database, so `migrate diff` works offline
 * with no server. Two fixes over the stock adapter, both needed by the CLI only:
 * - the schema engine replays each migration.sql as one argument-less
 *   statement, which PGlite's extended protocol refuses ("cannot insert
 *   multiple commands into a prepared statement"): run those through exec();
 * - the CLI never disposes the adapter, and PGlite re-arms a 10 s idle timer
 *   after each query, which would keep the CLI alive: unref that timer.
 */

const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = realSetTimeout(fn, ms, ...args);
  if (ms === 10_000) timer.unref();
  return timer;
}) as typeof setTimeout;

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;

async function open(): Promise<Adapter> {
  const db = new PGlite();
  const adapter = await new PrismaPGlite(db).connect();
  const onError = (error: unknown) => (adapter as unknown as { onError(e: unknown): never }).onError(error);
  adapter.executeScript = async (sql: string) => {
    try {
      await db.exec(sql);
    } catch (error) {
      onError(error);
    }
  };
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    try {
      return (await db.exec(query.sql)).at(-1)?.affectedRows ?? 0;
    } catch (error) {
      return onError(error);
    }
  };
  adapter.dispose = () => db.close();
  return adapter;
}

export function cliAdapter(): PrismaPGlite {
  const factory = new PrismaPGlite(undefined as unknown as PGlite);
  factory.connect = open;
  factory.connectToShadowDb = open;
  return factory;
}
