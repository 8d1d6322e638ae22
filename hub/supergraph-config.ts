import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Env, ownerSetting } from "../operations/settings.ts";
import type { StandingPart } from "../subgraphs/sdk/subgraph.ts";
import { SUBGRAPHS } from "./subgraphs.ts";

/**
 * The supergraph config (`supergraph.config.json`): every subgraph the gateway
 * composes and routes to. The hub's own subgraphs are built from code and run
 * by the hub; a partner's subgraph runs elsewhere, and joins with an entry
 * that gives its URL and the SDL it printed. SUBGRAPH_URL_<NAME> overrides a URL.
 */
export const SUPERGRAPH_CONFIG_FILE = fileURLToPath(new URL("../supergraph.config.json", import.meta.url));

export interface ConfiguredSubgraph {
  name: string;
  url: string;
  /** A partner's subgraph: its printed SDL (absolute path). Absent for the hub's own subgraphs. */
  sdlFile?: string;
  /** Its part in the standing check (its `Standing.<name>Findings`), as the verdict's reasons name it; absent when it has none. */
  standing?: string;
}

export class SupergraphConfigError extends Error {}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

export function loadSupergraphConfig(file = SUPERGRAPH_CONFIG_FILE, env?: Env): ConfiguredSubgraph[] {
  const problem = (message: string): never => {
    throw new SupergraphConfigError(`${file}: ${message}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return problem(`cannot be read as JSON (${(error as Error).message}).`);
  }
  const entries = (raw as { subgraphs?: unknown })?.subgraphs;
  if (!Array.isArray(entries) || entries.length === 0) return problem(`needs a non-empty "subgraphs" list.`);
  const builtIn = new Set<string>(SUBGRAPHS.map((s) => s.name));
  const seen = new Set<string>();
  const subgraphs = entries.map((entry: unknown, i): ConfiguredSubgraph => {
    const { name, url, sdl, standing } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || !NAME.test(name))
      return problem(`subgraphs[${i}].name must be lower-case letters, digits and _ (got ${JSON.stringify(name)}).`);
    if (seen.has(name)) return problem(`the subgraph ${name} is listed twice.`);
    seen.add(name);
    const envUrl = ownerSetting("SUBGRAPH_URL_", name, env);
    const where = envUrl ?? url;
    if (typeof where !== "string" || !/^https?:\/\/\S+$/.test(where))
      return problem(`subgraphs[${i}] (${name}) needs an http(s) "url" (got ${JSON.stringify(where)}).`);
    if (standing !== undefined && (typeof standing !== "string" || !standing.trim() || standing.length > 200))
      return problem(
        `subgraphs[${i}] (${name}): "standing" names its part in the standing check's reasons, e.g. "plastics certificates" (got ${JSON.stringify(standing)}).`,
      );
    const part = standing ? { standing: standing as string } : {};
    if (builtIn.has(name)) {
      if (sdl !== undefined)
        return problem(`${name} is one of the hub's own subgraphs: its SDL comes from the code; remove "sdl".`);
      return { name, url: where, ...part };
    }
    if (typeof sdl !== "string")
      return problem(
        `${name} is not one of the hub's subgraphs (${[...builtIn].join(", ")}): give the path of its SDL file as "sdl".`,
      );
    const sdlFile = resolve(dirname(file), sdl);
    if (!existsSync(sdlFile)) return problem(`${name}'s SDL file ${sdlFile} does not exist.`);
    return { name, url: where, sdlFile, ...part };
  });
  const missing = [...builtIn].filter((n) => !seen.has(n));
  if (missing.length) return problem(`the hub's own subgraphs must all be listed; missing: ${missing.join(", ")}.`);
  return subgraphs;
}

/**
 * Which subgraphs' concerns the registry's standing verdict weighs: those
 * whose entry names a part (each must have `Standing.<name>Findings`, or the
 * supergraph does not compose).
 */
export function standingParts(config: ConfiguredSubgraph[]): StandingPart[] {
  return config.flatMap((entry) => (entry.standing ? [{ subgraph: entry.name, part: entry.standing }] : []));
}
