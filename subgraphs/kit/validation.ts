import { badInput } from "../kit/errors.ts";

const MAX_TEXT = 2000;

/** Trimmed, non-empty text of bounded length, or BAD_USER_INPUT naming the field. */
export function requireText(value: string, field: string): string {
  const text = value.trim();
  if (!text) throw badInput(`${field} must not be empty.`);
  if (text.length > MAX_TEXT) throw badInput(`${field} is longer than ${MAX_TEXT} characters.`);
  return text;
}

export function optionalText(value: string | null | undefined, field: string): string | null {
  return value == null || value.trim() === "" ? null : requireText(value, field);
}

export function assertNotFuture(date: Date, now: Date, field: string): void {
  if (date.getTime() > now.getTime()) throw badInput(`${field} (${date.toISOString().slice(0, 10)}) is in the future.`);
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
