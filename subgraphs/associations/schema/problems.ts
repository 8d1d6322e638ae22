import type { GraphQLError } from "graphql";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import type { Checked, Problem } from "../rules/problem.ts";

/** The hub's error for a rule's problem: same code, same message. */
export function asError({ code, message, extensions }: Problem): GraphQLError {
  if (code === "FORBIDDEN") return forbidden(message);
  if (code === "NOT_FOUND") return notFound(message);
  return badInput(message, extensions);
}

/** Throws the problem a rule found, if any. */
export function refuse(problem: Problem | null): void {
  if (problem) throw asError(problem);
}

/** The value a rule gave, or its problem thrown. */
export function accepted<T>(checked: Checked<T>): T {
  if (!checked.ok) throw asError(checked.problem);
  return checked.value;
}
