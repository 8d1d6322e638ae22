import { randomUUID } from "node:crypto";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError, Kind, parse, visit } from "graphql";
import type { CryptoKey } from "jose";
import { isPurpose, PURPOSES } from "../protocol/access-terms.ts";
import { HUB_TOKEN_HEADER, REQUEST_ID_HEADER } from "../protocol/headers.ts";
import { MAX_TOKEN_USCCS, mintHubToken } from "../protocol/hub-token.ts";
import { ANONYMOUS, type Caller } from "../protocol/identity.ts";
import { findUsccProblem, normalizeUscc } from "../protocol/uscc.ts";
import type { RegistryClient } from "./registry-client.ts";

/** What the gateway knows about each client request once authenticated. */
export interface HubContext {
  hub: {
    caller: Caller;
    purpose: string | null;
    requestId: string;
    /** USCC → live consent for this caller and purpose, filled as subgraph requests need it. */
    consents: Map<string, boolean>;
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
  const direct = headers.get("x-api-key");
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
 */
export function authenticationPlugin(registry: RegistryClient): GatewayPlugin<HubContext> {
  return {
    // Before validation, so the edge can let admins introspect (see edge.ts); the context gets it below.
    async onParams({ request }) {
      if (authenticated.has(request)) return;
      const headers = request.headers;
      // The HTTP front settled it (see http.ts); a request that came another way gets its own.
      const requestId = headers.get(REQUEST_ID_HEADER) ?? randomUUID();
      const purpose = headers.get("x-purpose")?.trim() || null;
      if (purpose !== null && !isPurpose(purpose))
        throw new GraphQLError(
          `x-purpose must be one of ${PURPOSES.join(", ")}; got ${JSON.stringify(purpose.slice(0, 64))}.`,
          { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } },
        );
      const credential = presentedCredential(headers);
      let caller: Caller = ANONYMOUS;
      if (credential === "ambiguous") {
        throw unauthenticated(
          "Send one credential per request: either `x-api-key` or `Authorization`, not both. The request was refused rather than one of them ignored.",
        );
      } else if (credential === "malformed") {
        throw unauthenticated(
          "Unsupported Authorization header. Send an API key as `x-api-key` or `Authorization: Bearer chk_…`, or your identity provider's JWT as `Authorization: Bearer <jwt>`.",
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

/** Who sent this request, once the authentication plugin has seen it (it runs before validation). */
export function callerOfRequest(request: Request | undefined): Caller | null {
  return (request && authenticated.get(request)?.caller) ?? null;
}

/** Every valid USCC among the values of a subgraph request's variables (entity representations included). */
export function usccsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (found.size >= 1000) return found;
  if (typeof value === "string") {
    if (value.length === 18 && findUsccProblem(value) === null) found.add(value);
  } else if (Array.isArray(value)) for (const v of value) usccsIn(v, found);
  else if (value && typeof value === "object") for (const v of Object.values(value)) usccsIn(v, found);
  return found;
}

/**
 * Signs every request the gateway sends to a subgraph with a hub token bound
 * to that subgraph and that exact body, carrying the consents that bear on it.
 * Client headers are never forwarded as identity: the token is the only one a
 * subgraph accepts.
 */
export function hubTokenPlugin(signingKey: CryptoKey, registry: RegistryClient): GatewayPlugin<HubContext> {
  return {
    async onFetch({ options, setOptions, executionRequest, context }) {
      const subgraph = executionRequest?.subgraphName;
      if (!subgraph) return;
      const hub = (context as Partial<HubContext> | undefined)?.hub;
      const body = typeof options.body === "string" ? options.body : "";
      const request = hub ?? {
        caller: ANONYMOUS,
        purpose: null,
        requestId: randomUUID(),
        consents: new Map(),
        known: new Map(),
      };
      const token = await mintHubToken(signingKey, subgraph, body, {
        caller: request.caller,
        purpose: request.purpose,
        requestId: request.requestId,
        consents: await consentsFor(request, executionRequest?.variables, registry),
        known: subgraph === "registry" ? [] : await knownFor(request, body, registry),
      });
      const headers = new Headers(options.headers as HeadersInit | undefined);
      headers.set(HUB_TOKEN_HEADER, token);
      headers.set(REQUEST_ID_HEADER, request.requestId);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}

/** Consents matter only to organisations (not the enterprise itself) that stated a purpose. */
async function consentsFor(hub: HubContext["hub"], variables: unknown, registry: RegistryClient): Promise<string[]> {
  const { caller, purpose } = hub;
  if (caller.kind !== "organisation" || caller.organisationType === "ENTERPRISE" || !purpose) return [];
  const usccs = [...usccsIn(variables)];
  const unknown = usccs.filter((u) => !hub.consents.has(u));
  if (unknown.length) {
    const live = new Set(await registry.liveConsents(caller, purpose, unknown, hub.requestId));
    for (const u of unknown) hub.consents.set(u, live.has(u));
  }
  return usccs.filter((u) => hub.consents.get(u));
}

/**
 * For a subgraph request that is a mutation: which enterprises named in it the
 * directory knows, for the hub token's `known` claim. Owners refuse a write
 * about any other (subgraphs/sdk/context.ts `requireKnownEnterprise`). Read from the very
 * body the owner will execute — variables and string literals in the query
 * text alike, whatever the planner chose to inline — so what the owner parses
 * is what was looked up. Reads (the hot path) are never parsed here: a
 * mutation's text always contains the keyword. The registry itself keeps the
 * directory and needs no claim (the caller skips it).
 */
async function knownFor(hub: HubContext["hub"], body: string, registry: RegistryClient): Promise<string[]> {
  // Anonymous callers may not write anywhere; asking the registry for them would only amplify a flood.
  if (hub.caller.kind !== "organisation" || !body.includes("mutation")) return [];
  const candidates = new Set<string>();
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return [];
  }
  for (const part of Array.isArray(payload) ? payload : [payload]) {
    const { query, variables } = (part ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof query !== "string") continue;
    let document: ReturnType<typeof parse>;
    try {
      document = parse(query, { noLocation: true });
    } catch {
      continue; // The owner will refuse it as unparsable; nothing to vouch for.
    }
    if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === "mutation")) continue;
    visit(document, {
      StringValue: (node) => {
        addCandidate(node.value, candidates);
      },
    });
    usccCandidatesIn(variables, candidates);
  }
  const usccs = [...candidates].slice(0, MAX_TOKEN_USCCS);
  const unknown = usccs.filter((u) => !hub.known.has(u));
  if (unknown.length) {
    const known = new Set(await registry.knownEnterprises(unknown, hub.requestId));
    for (const u of unknown) hub.known.set(u, known.has(u));
  }
  return usccs.filter((u) => hub.known.get(u));
}

/** A string that the owners' USCC scalar would accept (it trims and upper-cases), as that scalar would read it. */
function addCandidate(value: string, found: Set<string>) {
  if (found.size >= MAX_TOKEN_USCCS || value.length < 18 || value.length > 64) return;
  const code = normalizeUscc(value);
  if (findUsccProblem(code) === null) found.add(code);
}

function usccCandidatesIn(value: unknown, found: Set<string>) {
  if (found.size >= MAX_TOKEN_USCCS) return;
  if (typeof value === "string") addCandidate(value, found);
  else if (Array.isArray(value)) for (const v of value) usccCandidatesIn(v, found);
  else if (value && typeof value === "object") for (const v of Object.values(value)) usccCandidatesIn(v, found);
}
