import { defineConfig } from "vitest/config";

export default defineConfig({
  cacheDir: "node_modules/.cache/vitest",
  test: {
    include: ["test/**/*.test.ts"],
    // Each file starts its own hub (databases included): give start-up room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
  },
});
