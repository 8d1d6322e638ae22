import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { edgeOptionsFromEnv } from "../../gateway/edge-options.ts";
import { httpTimeoutsFromEnv, operatorListenFromEnv } from "../../operations/operator.ts";
import {
  loadSettings,
  ownerSetting,
  readSettings,
  SETTINGS,
  SettingsError,
  settingNames,
  subgraphTimeouts,
} from "../../operations/settings.ts";
import { README_FILE, withSettingsTable } from "../../scripts/settings-table.ts";

/**
 * One typed configuration per process (operations/settings.ts): every setting
 * checked at start, each bad one named with its value and what it expects;
 * the README's table printed from the same schemas.
 */

/** The problems loadSettings reports for an environment, or [] when it is valid. */
function problems(process: Parameters<typeof loadSettings>[0], env: Record<string, string>): string[] {
  try {
    loadSettings(process, env);
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
}

describe("settings", () => {
  it("when SHUTDOWN_GRACE_MS=abc, then start fails naming it, its value and what it expects", () => {
    for (const process of ["hub", "gateway"] as const)
      expect(problems(process, { SHUTDOWN_GRACE_MS: "abc" })).toEqual([
        'SHUTDOWN_GRACE_MS must be a whole number of milliseconds ≥ 0, got "abc"',
      ]);
  });

  it("when DATABASE_POOL_SIZE=x, then start fails naming it", () => {
    for (const process of ["hub", "subgraph", "cli"] as const)
      expect(problems(process, { DATABASE_POOL_SIZE: "x" })).toEqual([
        'DATABASE_POOL_SIZE must be a whole number of connections ≥ 1, got "x"',
      ]);
    expect(() => readSettings(["DATABASE_POOL_SIZE"], { DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it("when several settings are bad, then each gets its own line; a long value is cut short", () => {
    const lines = problems("hub", {
      PORT: "eighty",
      LOG_LEVEL: "loud",
      DATABASE_URL_REGISTRY: "mysql://db",
      HTTP_HEADERS_TIMEOUT_MS: "40000",
      GRAPHIQL: "x".repeat(100),
    });
    expect(lines).toHaveLength(5);
    expect(lines).toContain('PORT must be a port number from 0 to 65535, got "eighty"');
    expect(lines).toContain('LOG_LEVEL must be one of trace, debug, info, warn, error, got "loud"');
    expect(lines).toContain('DATABASE_URL_REGISTRY must be a postgres:// URL, got "mysql://db"');
    expect(lines).toContain("HTTP_HEADERS_TIMEOUT_MS must not be above HTTP_REQUEST_TIMEOUT_MS, got 40000 and 30000");
    expect(lines).toContain(`GRAPHIQL must be 1 (on) or 0 (off), got "${"x".repeat(40)}…"`);
  });

  it("when a process starts with a bad setting, then it exits 1 at once with the message", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "hub/main.ts"], {
      env: { ...process.env, SHUTDOWN_GRACE_MS: "abc", DATABASE_POOL_SIZE: "x" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SHUTDOWN_GRACE_MS must be a whole number of milliseconds ≥ 0, got "abc"');
    expect(run.stderr).toContain('DATABASE_POOL_SIZE must be a whole number of connections ≥ 1, got "x"');
    expect(run.stdout).not.toContain("starting");
  });

  it("when a setting belongs to another process, then this one does not stop for it", () => {
    expect(problems("cli", { SHUTDOWN_GRACE_MS: "abc" })).toEqual([]);
    expect(problems("gateway", { DATABASE_POOL_SIZE: "x" })).toEqual([]);
  });

  it("when nothing is set, then every default is the one the hub always had", () => {
    const s = loadSettings("hub", {});
    expect(s).toMatchObject({
      PORT: undefined,
      HOST: "127.0.0.1",
      DATA_DIR: "data",
      DATABASE_POOL_SIZE: 10,
      LOG_LEVEL: "info",
      LOG_REPEAT_WINDOW_SECONDS: 10,
      OPERATOR_HOST: "127.0.0.1",
      OPERATOR_PORT: undefined,
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
      SHUTDOWN_GRACE_MS: 10_000,
      SUBGRAPH_TIMEOUT_MS: 10_000,
      SUPERGRAPH_POLL_SECONDS: 60,
      AUDIT_CHECKPOINT_SECONDS: 60,
      RETENTION_INTERVAL_HOURS: 24,
      TRUSTED_DOCUMENTS_ONLY: false,
      CORS_ORIGINS: [],
    });
    // Empty is unset.
    expect(loadSettings("hub", { SHUTDOWN_GRACE_MS: "", PORT: " " })).toMatchObject({
      SHUTDOWN_GRACE_MS: 10_000,
      PORT: undefined,
    });
    expect(httpTimeoutsFromEnv({})).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    expect(operatorListenFromEnv(4000, {})).toEqual({ port: 4100, host: "127.0.0.1" });
    expect(operatorListenFromEnv(0, { OPERATOR_PORT: "0" })).toEqual({ port: 0, host: "127.0.0.1" });
    expect(edgeOptionsFromEnv({})).toMatchObject({
      production: false,
      maxDepth: 12,
      maxAliases: 120,
      maxDirectives: 20,
      maxTokens: 10_000,
      maxCost: 10_000,
      maxResponseBytes: 4 * 1024 * 1024,
      maxBatch: 1,
      maxBodyBytes: 256 * 1024,
      rateLimitPerMinute: null,
      trustedDocumentsOnly: false,
    });
    expect(edgeOptionsFromEnv({ NODE_ENV: "production" }).rateLimitPerMinute).toBe(600);
  });

  it("when values are given, then they are parsed as the code needs them", () => {
    expect(
      readSettings(["LOG_LEVEL", "GRAPHQL_MAX_DEPTH", "SHUTDOWN_GRACE_MS", "SUPERGRAPH_POLL_SECONDS"], {
        LOG_LEVEL: "DEBUG",
        GRAPHQL_MAX_DEPTH: "off",
        SHUTDOWN_GRACE_MS: "0",
        SUPERGRAPH_POLL_SECONDS: "0.5",
      }),
    ).toEqual({ LOG_LEVEL: "debug", GRAPHQL_MAX_DEPTH: null, SHUTDOWN_GRACE_MS: 0, SUPERGRAPH_POLL_SECONDS: 0.5 });
    const timeout = subgraphTimeouts({ SUBGRAPH_TIMEOUT_MS: "2000", SUBGRAPH_TIMEOUT_MS_BUREAUS: "400" });
    expect([timeout("bureaus"), timeout("registry"), timeout(undefined)]).toEqual([400, 2000, 2000]);
    expect(ownerSetting("DATABASE_URL_", "registry", { DATABASE_URL_REGISTRY: "postgres://h/db" })).toBe(
      "postgres://h/db",
    );
    expect(ownerSetting("DATABASE_URL_", "registry", {})).toBeUndefined();
  });

  it("every setting has a process, a default, a meaning and what it expects", () => {
    for (const [name, s] of Object.entries(SETTINGS)) {
      expect(s.processes.length, name).toBeGreaterThan(0);
      expect(s.default && s.meaning && s.expected, name).toBeTruthy();
    }
    expect(settingNames("gateway")).toContain("SHUTDOWN_GRACE_MS");
    expect(settingNames("subgraph")).not.toContain("SHUTDOWN_GRACE_MS");
  });

  it("the README's table of settings is the one the schemas print (npm run settings)", () => {
    const readme = readFileSync(README_FILE, "utf8");
    expect(withSettingsTable(readme)).toBe(readme);
    for (const name of Object.keys(SETTINGS)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
