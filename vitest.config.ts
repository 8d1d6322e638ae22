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
    include: ["test/**/*.test.ts"],
    // Browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: ["test/browser/**", "**/node_modules/**"],
    // Each file starts its own hub (databases included): give start-up room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
  },
});
