import type { JsonObject } from "../sdk/audit.ts";

/**
 * What the registry writes to its audit log (the same hash-chained,
 * append-only, checkpointed log every data owner keeps), so who was admitted,
 * which credentials and identity providers were issued or revoked, which
 * consents were given or withdrawn and how the directory of enterprises
 * changed can be checked by `npm run audit:verify` like any owner's.
 */

/** What the registry records, one name per kind of change (in `fields` and `detail.event`). */
export type RegistryEvent =
  | "ORGANISATION_CREATED"
  | "ORGANISATION_SUSPENDED"
  | "ORGANISATION_REACTIVATED"
  | "API_KEY_ISSUED"
  | "API_KEY_REVOKED"
  | "IDENTITY_PROVIDER_REGISTERED"
  | "IDENTITY_PROVIDER_CONFIRMED"
  | "IDENTITY_PROVIDER_REVOKED"
  | "ENTERPRISE_REGISTERED"
  | "ENTERPRISE_RENAMED"
  | "ENTERPRISE_INVITED"
  | "INVITATION_ACCEPTED"
  | "CONSENT_REQUESTED"
  | "CONSENT_REQUEST_REJECTED"
  | "CONSENT_GIVEN"
  | "CONSENT_REVOKED"
  | "PROGRAMME_DEFINED"
  | "PROGRAMME_RETIRED"
  | "STANDING_REPORT_NUMBERED";

/**
 * One registry change for `context.audit.write` (which adds the caller, purpose
 * and request id). `ownerId` is the organisation the change concerns, `uscc`
 * the enterprise, so each can find the entries about it.
 */
export function registryEntry(
  event: RegistryEvent,
  about: { organisationId?: string | null; uscc?: string | null },
  detail: JsonObject,
) {
  return {
    ownerId: about.organisationId ?? null,
    uscc: about.uscc ?? null,
    action: "WRITE" as const,
    decision: "RECORDED" as const,
    fields: [event],
    detail: { event, ...detail },
  };
}
