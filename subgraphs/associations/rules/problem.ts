import type { HubErrorCode } from "../../../protocol/errors.ts";

/**
 * What a rule says is wrong, as a value: the rules stay free of GraphQL, and
 * the resolver turns a problem into the hub's error with the same code and
 * message (schema/problems.ts). Rules return problems rather than throw so a
 * unit test reads the answer like any other result.
 */
export interface Problem {
  code: Exclude<HubErrorCode, "UNAUTHENTICATED">;
  message: string;
  extensions?: Record<string, unknown>;
}

/** A rule's answer: the value, or what is wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const badInputProblem = (message: string, extensions?: Record<string, unknown>): Problem =>
  extensions ? { code: "BAD_USER_INPUT", message, extensions } : { code: "BAD_USER_INPUT", message };
export const forbiddenProblem = (message: string): Problem => ({ code: "FORBIDDEN", message });
export const notFoundProblem = (message: string): Problem => ({ code: "NOT_FOUND", message });

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refused = <T = never>(problem: Problem): Checked<T> => ({ ok: false, problem });

/** The first problem of several checks, in order, or null. */
export function firstProblem(...checks: (() => Problem | null)[]): Problem | null {
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return null;
}
