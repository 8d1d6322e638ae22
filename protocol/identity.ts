/** Who is asking, as the gateway established it and the hub token carries it. */

export const ORGANISATION_TYPES = [
  /** The hub's operator. Not a party to credit data: it sees only what is public. */
  "HUB",
  "ASSOCIATION",
  "BUREAU",
  "INDUSTRY_BODY",
  "FINANCIAL",
  "REGULATOR",
  "ENTERPRISE",
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/**
 * Roles an API key can carry.
 * - OPERATOR: runs the hub (creates organisations); holds no credit data rights.
 * - ADMIN: manages its own organisation's keys (and later, its sharing grants).
 * - STAFF: reads and writes its own organisation's data.
 */
export const ROLES = ["OPERATOR", "ADMIN", "STAFF"] as const;
export type Role = (typeof ROLES)[number];

export type Caller =
  | { kind: "anonymous" }
  | {
      kind: "organisation";
      organisationId: string;
      organisationType: OrganisationType;
      /** Set when the organisation is an enterprise acting for its own code. */
      uscc: string | null;
      roles: Role[];
    };

export const ANONYMOUS: Caller = { kind: "anonymous" };

export function isOrganisation(caller: Caller): caller is Extract<Caller, { kind: "organisation" }> {
  return caller.kind === "organisation";
}

export function hasRole(caller: Caller, role: Role): boolean {
  return isOrganisation(caller) && caller.roles.includes(role);
}

/** The registry's answer to the gateway's "whose API key is this?". */
export type CredentialResult = { ok: true; caller: Caller } | { ok: false; reason: string };
