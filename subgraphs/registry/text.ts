import { badInput } from "../../protocol/errors.ts";

/**
 * Every text argument the registry accepts goes through here: the directory's
 * names are shown to every party on the hub, so they must not carry control
 * characters (a NUL also cannot reach PostgreSQL at all: it failed as an
 * internal error) or characters that reorder what a reader sees (bidi
 * overrides make "（伪）" look like part of another name), and they have
 * sane lengths. Errors say what is wrong without echoing a long value back.
 */

/** Bounds, in characters (code points), of the registry's text fields. */
export const TEXT_LIMITS = {
  /** Chinese registered names are far shorter; foreign-language names may be long. */
  name: { min: 2, max: 200 },
  /** A reason given for a correction, for the audit log. */
  reason: { min: 2, max: 500 },
  label: { min: 1, max: 100 },
  /** An issuer is a URL; an audience is usually one too. */
  issuer: { min: 1, max: 500 },
  audience: { min: 1, max: 500 },
  /** A JWK Set of a handful of RSA keys fits easily. */
  jwks: { min: 2, max: 64 * 1024 },
  search: { min: 2, max: 100 },
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

/** Control characters (C0, DEL, C1), lone surrogates, and the bidi embeddings, overrides and isolates. */
const FORBIDDEN = /[\p{Cc}\p{Cs}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** The same, except tab and line breaks: for text that may span lines (a JWK Set as JSON, a reason). */
const FORBIDDEN_IN_LINES = /[^\P{Cc}\t\n\r]|[\p{Cs}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const MULTILINE: ReadonlySet<TextKind> = new Set(["jwks", "reason"]);

/** A value as it may appear in an error message: quoted, and cut to its first 32 characters. */
export function quoted(value: string, max = 32): string {
  const chars = [...value];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join("")}…` : value);
}

/** `U+0000` for a character, as an error message names it. */
function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Trimmed, NFC-normalised text within the bounds for its kind, free of control
 * characters — or BAD_USER_INPUT naming the field and what is wrong with it.
 * NFC, so one name is not registered twice in two encodings that look alike.
 */
export function checkedText(value: string, field: string, kind: TextKind): string {
  const { min, max } = TEXT_LIMITS[kind];
  // The length is checked before any other work, so a huge value costs little.
  if (value.length > max * 2 + 64) throw badInput(`${field} is ${value.length} characters long; at most ${max}.`);
  const forbidden = (MULTILINE.has(kind) ? FORBIDDEN_IN_LINES : FORBIDDEN).exec(value);
  if (forbidden)
    throw badInput(
      `${field} contains the control character ${codePoint(forbidden[0])} at position ${[...value.slice(0, forbidden.index)].length + 1}; remove it.`,
    );
  const text = value.normalize("NFC").trim();
  const length = [...text].length;
  if (length === 0) throw badInput(`${field} must not be empty.`);
  if (length < min) throw badInput(`${field} ${quoted(text)} is too short: at least ${min} characters.`);
  if (length > max) throw badInput(`${field} is ${length} characters long; at most ${max}.`);
  return text;
}

/** An id as given by a client: only its syntax decides whether it can name a row. */
export function idArgument(value: string | number, pattern: RegExp): string | null {
  const id = String(value);
  return id.length <= 64 && pattern.test(id) ? id : null;
}

/**
 * Text for a `LIKE` pattern that matches itself only. Prisma's `contains` on
 * PostgreSQL puts the value into `LIKE '%…%'` as it is, so `%` and `_` were
 * wildcards; PostgreSQL's default escape character is the backslash.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
