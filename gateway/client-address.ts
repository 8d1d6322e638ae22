/**
 * The client's address, passed from the HTTP front (http.ts) to the runtime
 * for per-address rate limits (useRateLimit.ts). Only the front sets it: it
 * drops whatever a client sends under this name and writes the socket's own.
 */
export const CLIENT_ADDRESS_HEADER = "x-hub-client-address";
