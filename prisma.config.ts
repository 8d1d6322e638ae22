import { defineConfig } from "prisma/config";
import { cliAdapter } from "./prisma/cli-adapter.ts";

// The Prisma CLI otherwise reports usage to Prisma's servers: the hub never calls out.
process.env.CHECKPOINT_DISABLE ??= "1";
// The schemas' `url = env(...)` line is never used with engine "js", but it must
// resolve, or the CLI falls back to downloading a native engine.
process.env.PRISMA_SCHEMA_URL_PLACEHOLDER ??= "postgresql://unused@localhost/unused";

/**
 * One config for every subgraph's schema (commands take --schema
 * prisma/<subgraph>, a folder: its schema.prisma and its copies of the SDK's
 * tables, or a migrations folder). The CLI only ever needs throwaway
 * databases, so it gets in-memory PGlite.
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // The CLI reads this schema's generator to see that no native query engine
  // is wanted before it runs any command; without it, it tries to download one.
  // Every subgraph's schema has the same generator, so any of them serves.
  schema: "prisma/registry",
  adapter: async () => cliAdapter(),
});
