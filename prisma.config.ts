import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

// The schemas' `url = env(...)` line is never used with engine "js", but it must
// resolve, or the CLI falls back to downloading a native engine.
process.env.PRISMA_SCHEMA_URL_PLACEHOLDER ??= "postgresql://unused@localhost/unused";

/**
 * Shared by every subgraph's schema (pass --schema prisma/<subgraph>/schema.prisma).
 * The CLI only ever needs a throwaway database, so it gets an in-memory PGlite.
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // The CLI reads the generator of this schema to see that no native query
  // engine is wanted; without it, it tries to download one. Every subgraph's
  // schema has the same generator, so any of them serves.
  schema: "prisma/registry/schema.prisma",
  async adapter() {
    return new PrismaPGlite(new PGlite());
  },
});
