/**
 * The HTTP headers that cross the hub: what a client sends the gateway, and
 * what the gateway sends every subgraph. Named once so the two sides cannot
 * drift apart.
 */

/** A client's API key (or `authorization: Bearer <OIDC token>` for people). */
export const API_KEY_HEADER = "x-api-key";
/** Why the client asks (one of PURPOSES); matched against grants and consents. */
export const PURPOSE_HEADER = "x-purpose";
/** One id per request, from the client (a UUID) or the gateway, into every log line and audit entry. */
export const REQUEST_ID_HEADER = "x-request-id";
/** The gateway's signed statement of who calls and why, verified by every subgraph. */
export const HUB_TOKEN_HEADER = "x-hub-token";
