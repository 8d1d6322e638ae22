import { Kind, parse, visit } from "graphql";
import { badInput } from "../../protocol/errors.ts";

/** The longest free text (a reason, a summary…) any field keeps, unless the field says less. */
export const MAX_TEXT = 2000;
/** The longest short label (a level, a clause, a code, a name…). */
export const MAX_LABEL = 200;
/**
 * The longest string any argument of any subgraph request may carry, checked
 * once per request before anything executes (see `overlongStringProblem`).
 * Above every field's own bound — the longest legitimate strings are the
 * signed records a bureau imports, a few KB — so it is a ceiling that catches
 * the fields a resolver forgot to bound, not the bound itself.
 */
export const MAX_STRING_INPUT = 16_384;
/**
 * The earliest date a fact about an enterprise can plausibly be dated: the
 * founding of the People's Republic, before any enterprise the Unified Social
 * Credit Code system names existed. A 1900 date is a typo or a probe.
 */
export const EARLIEST_DATE = new Date(Date.UTC(1949, 9, 1));

/** Trimmed, non-empty text of bounded length, or BAD_USER_INPUT naming the field. */
export function requireText(value: string, field: string, max: number = MAX_TEXT): string {
  const text = value.trim();
  if (!text) throw badInput(`${field} must not be empty.`);
  if (text.length > max) throw badInput(`${field} is longer than ${max} characters (${text.length}).`);
  return text;
}

export function optionalText(value: string | null | undefined, field: string, max: number = MAX_TEXT): string | null {
  return value == null || value.trim() === "" ? null : requireText(value, field, max);
}

/**
 * A user-supplied value for an error message: JSON-quoted and cut short, so a
 * 200 KB value is never sent back whole (nor a log line filled with it).
 */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === "string" ? value : String(value);
  return text.length <= max
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

/**
 * An error message with every long double-quoted value in it cut short, for
 * messages built by code that quotes values whole (GraphQL's variable coercion:
 * `Variable "$input" got invalid value "…"`). The kit applies it to every
 * client error an owner sends back.
 */
export function shortenQuotedValues(message: string, max = 40): string {
  if (message.length <= 200) return message;
  return message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) =>
    inner.length <= max ? whole : `"${inner.slice(0, max)}…" (${inner.length} characters)`,
  );
}

/**
 * A date something happened: not in the future and not before EARLIEST_DATE.
 * Every date about the past that an owner stores goes through here.
 */
export function assertNotFuture(date: Date, now: Date, field: string): void {
  if (date.getTime() > now.getTime()) throw badInput(`${field} (${date.toISOString().slice(0, 10)}) is in the future.`);
  assertNotTooEarly(date, field);
}

/** Not before EARLIEST_DATE; for dates that may lie ahead (a period's end, a validity). */
export function assertNotTooEarly(date: Date, field: string): void {
  if (date.getTime() < EARLIEST_DATE.getTime())
    throw badInput(`${field} (${isoDate(date)}) is before ${isoDate(EARLIEST_DATE)}; no enterprise fact is that old.`);
}

/** A date ahead (a validity's end): at most `years` from now, so a typo such as 9999 is refused. */
export function assertNotTooFarAhead(date: Date, now: Date, field: string, years: number): void {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + years);
  if (date.getTime() > limit.getTime())
    throw badInput(`${field} (${isoDate(date)}) is more than ${years} years ahead.`);
}

/**
 * The SDK-wide ceiling on strings, for one GraphQL request body: the first
 * string longer than MAX_STRING_INPUT among the variables and the string
 * literals of the query, described without its value — or null. A query text
 * no longer than the ceiling cannot hold a longer literal, so the usual request
 * is not parsed twice.
 */
export function overlongStringProblem(body: unknown): string | null {
  for (const part of Array.isArray(body) ? body : [body]) {
    const { query, variables } = (part ?? {}) as { query?: unknown; variables?: unknown };
    const inVariables = overlongIn(variables, "");
    if (inVariables) return tooLong(inVariables.path, inVariables.length);
    if (typeof query === "string" && query.length > MAX_STRING_INPUT) {
      let found: number | null = null;
      try {
        visit(parse(query, { noLocation: true }), {
          [Kind.STRING]: (node: { value: string }) => {
            if (found === null && node.value.length > MAX_STRING_INPUT) found = node.value.length;
          },
        });
      } catch {
        // Unparsable: GraphQL itself refuses it next.
      }
      if (found !== null) return tooLong("a string literal of the query", found);
    }
  }
  return null;
}

function tooLong(where: string, length: number): string {
  return `${where} is ${length} characters long; no argument of the hub accepts more than ${MAX_STRING_INPUT}.`;
}

function overlongIn(value: unknown, path: string, depth = 0): { path: string; length: number } | null {
  if (typeof value === "string") return value.length > MAX_STRING_INPUT ? { path, length: value.length } : null;
  if (depth > 32 || !value || typeof value !== "object") return null;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i): [string, unknown] => [`${path}[${i}]`, v])
    : Object.entries(value).map(([k, v]): [string, unknown] => [
        depth === 0 ? `$${k.slice(0, 40)}` : `${path}.${k.slice(0, 40)}`,
        v,
      ]);
  for (const [p, v] of entries) {
    const found = overlongIn(v, p, depth + 1);
    if (found) return found;
  }
  return null;
}

export function assertOrder(from: Date, to: Date | null, fromField: string, toField: string): void {
  if (to && to.getTime() < from.getTime()) throw badInput(`${toField} is before ${fromField}.`);
}

export function isoDate(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "?";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (and must not reach SQL as one). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
