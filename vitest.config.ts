import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

/**
 * Hubs whose supergraph has a partner in it: an owner's schema is built once per process for the supergraph it
 * first serves (subgraphs/sdk/owner.ts), so these files run in a process of their own.
 */
const OWN_PROCESS = ["test/partner-subgraph.test.ts", "test/reload.test.ts"];

const HUB = {
  // Migrates each owner's database once per run (only when a hub test runs); every test hub starts from a copy.
  globalSetup: ["test/support/database-templates.ts"],
  // Files that start hubs or processes of their own: give start-up room.
  hookTimeout: 120_000,
};

export default defineConfig({
  cacheDir: "node_modules/.cache/vitest",
  resolve: {
    // graphql 16 has no "exports": Vite would pick its ESM build for our files
    // while Node gives the gateway runtime the CommonJS one, and errors made
    // by one copy are not GraphQLErrors to the other. One copy, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    // Browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: ["test/browser/**", "**/node_modules/**"],
    testTimeout: 30_000,
    pool: "forks",
    // This machine and CI have two cores: a worker each.
    maxWorkers: 2,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
    projects: [
      // Rules, parsers and log lines with plain inputs: no hub, no database, no set-up.
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          ...HUB,
          name: "hub",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**", "test/browser/**", ...OWN_PROCESS, "**/node_modules/**"],
          // A worker keeps its modules from one file to the next (importing the hub is seconds per file) and its
          // shared hub (sharedTestHub, test/support/hub.ts). Files put back what they change: environment, spies.
          isolate: false,
        },
      },
      { extends: true, test: { ...HUB, name: "hub (own process)", include: OWN_PROCESS } },
    ],
  },
});
