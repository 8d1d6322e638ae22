import { randomUUID } from "node:crypto";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError } from "graphql";
import { isPurpose, PURPOSES } from "../protocol/access-terms.ts";
import { API_KEY_HEADER, PURPOSE_HEADER, REQUEST_ID_HEADER } from "../protocol/headers.ts";
import type { ConsentBasis } from "../protocol/hub-token.ts";
import { ANONYMOUS, type Caller } from "../protocol/identity.ts";
import type { RegistryClient } from "./registry-client.ts";

/** What the gateway knows about each client request once authenticated. */
export interface HubContext {
  hub: {
    caller: Caller;
    purpose: string | null;
    requestId: string;
    /** USCC → the live consents it gave this caller for this purpose (none: empty), filled as subgraph requests need them. */
    consents: Map<string, ConsentBasis[]>;
    /** USCC → known to the registry's directory, filled as subgraph mutations need it. */
    known: Map<string, boolean>;
  };
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: {
      code: "UNAUTHENTICATED",
      http: { status: 401, headers: { "www-authenticate": 'Bearer realm="credit-hub"' } },
    },
  });
}

/**
 * An API key (`x-api-key`, or `Authorization: Bearer chk_…`) or an identity-provider JWT (`Authorization: Bearer <jwt>`).
 * Both headers at once is "ambiguous": honouring one and ignoring the other
 * would let a request carry a credential nobody checked (a forged JWT riding
 * beside a valid key), and which one counts would be a guess.
 */
function presentedCredential(
  headers: Headers,
): { apiKey: string } | { jwt: string } | "malformed" | "ambiguous" | null {
  const direct = headers.get(API_KEY_HEADER);
  const auth = headers.get("authorization")?.trim();
  if (direct !== null && auth) return "ambiguous";
  if (direct) return { apiKey: direct.trim() };
  if (!auth) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (!bearer) return "malformed";
  if (bearer.startsWith("chk_")) return { apiKey: bearer };
  return JWT.test(bearer) ? { jwt: bearer } : "malformed";
}

/**
 * Establishes who is calling (anonymous, or an organisation by API key or by
 * its identity provider's JWT) and the purpose they state. A credential that
 * is presented but not valid is an error, never a silent downgrade to anonymous.
 * Hand-written: the runtime's `genericAuth` resolves the caller while building
 * the context, after parsing and validation, and the rate limit and the
 * introspection check need it before them.
 */
export function useAuthentication(registry: RegistryClient): GatewayPlugin<HubContext> {
  return {
    // Before validation, so operators may introspect (see introspection.ts); the context gets it below.
    async onParams({ request }) {
      if (authenticated.has(request)) return;
      const headers = request.headers;
      // The HTTP front settled it (see http.ts); a request that came another way gets its own.
      const requestId = headers.get(REQUEST_ID_HEADER) ?? randomUUID();
      const purpose = headers.get(PURPOSE_HEADER)?.trim() || null;
      if (purpose !== null && !isPurpose(purpose))
        throw new GraphQLError(
          `${PURPOSE_HEADER} must be one of ${PURPOSES.join(", ")}; got ${JSON.stringify(purpose.slice(0, 64))}.`,
          { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } },
        );
      const credential = presentedCredential(headers);
      let caller: Caller = ANONYMOUS;
      if (credential === "ambiguous") {
        throw unauthenticated(
          `Send one credential per request: either \`${API_KEY_HEADER}\` or \`Authorization\`, not both. The request was refused rather than one of them ignored.`,
        );
      } else if (credential === "malformed") {
        throw unauthenticated(
          `Unsupported Authorization header. Send an API key as \`${API_KEY_HEADER}\` or \`Authorization: Bearer chk_…\`, or your identity provider's JWT as \`Authorization: Bearer <jwt>\`.`,
        );
      } else if (credential) {
        const result = await registry.resolveCredential(credential, requestId);
        if (!result.ok) throw unauthenticated(result.reason);
        caller = result.caller;
      }
      authenticated.set(request, { caller, purpose, requestId, consents: new Map(), known: new Map() });
    },
    onContextBuilding({ context, extendContext }) {
      const hub = authenticated.get(context.request);
      if (hub) extendContext({ hub });
    },
  };
}

const authenticated = new WeakMap<Request, HubContext["hub"]>();

/** Who sent this request, once useAuthentication has seen it (it runs in onParams, before validation). */
export function callerOfRequest(request: Request | undefined): Caller | null {
  return (request && authenticated.get(request)?.caller) ?? null;
}
