import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

/** The browser tests: headless Debian Chromium driven by playwright-core (`npm run test:browser`; CI installs Chromium). */
export default defineConfig({
  cacheDir: "node_modules/.cache/vitest",
  // One copy of graphql, as in vitest.config.ts.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
  },
});
