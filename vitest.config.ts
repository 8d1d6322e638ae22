import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

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
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
    projects: [
      // Rules, parsers and log lines with plain inputs: no hub, no database, no set-up.
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "hub",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**", "test/browser/**", "**/node_modules/**"],
          // Migrates each owner's database once per run (only when a hub test runs); every test hub starts from a copy.
          globalSetup: ["test/support/database-templates.ts"],
          // Each file starts its own hub: give start-up room.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
