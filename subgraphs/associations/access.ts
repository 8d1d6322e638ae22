import type { Caller } from "../kit/identity.ts";

/**
 * Interim read rule until sensitivity classes land: a member's file is seen by
 * the association that keeps it and by the enterprise itself, nobody else.
 * Returns the owner filter for the caller's reads about `uscc`, or null when
 * the caller may read none of it.
 */
export function readableOwners(caller: Caller, uscc: string): { ownerId?: string } | null {
  if (caller.kind !== "organisation") return null;
  if (caller.organisationType === "ENTERPRISE") return caller.uscc === uscc ? {} : null;
  return { ownerId: caller.organisationId };
}

export function canRead(caller: Caller, row: { ownerId: string; uscc: string }): boolean {
  const owners = readableOwners(caller, row.uscc);
  return owners !== null && (owners.ownerId === undefined || owners.ownerId === row.ownerId);
}
