import { randomUUID } from "node:crypto";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { Kind, parse, visit } from "graphql";
import type { CryptoKey } from "jose";
import { HUB_TOKEN_HEADER, REQUEST_ID_HEADER } from "../protocol/headers.ts";
import { type ConsentBasis, MAX_TOKEN_USCCS, mintHubToken } from "../protocol/hub-token.ts";
import { ANONYMOUS } from "../protocol/identity.ts";
import { findUsccProblem, normalizeUscc } from "../protocol/uscc.ts";
import type { RegistryClient } from "./registry-client.ts";
import type { HubContext } from "./useAuthentication.ts";

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
 * subgraph accepts. Hand-written: the runtime's `hmacSignature` signs a body
 * with a shared secret but says nothing of the caller, purpose or consents.
 */
export function useHubToken(signingKey: CryptoKey, registry: RegistryClient): GatewayPlugin<HubContext> {
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
      // Again after the runtime's request-id plugin: for a request that came without the header its id and the token's differ.
      headers.set(REQUEST_ID_HEADER, request.requestId);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
      // A write to the registry may revoke a key the gateway keeps for a while (registry-client.ts): once it is done, the
      // next request asks again. (Only organisations write; an anonymous body that merely says "mutation" is refused.)
      if (subgraph === "registry" && request.caller.kind === "organisation" && body.includes("mutation"))
        return () => registry.forget();
    },
  };
}

/** Consents matter only to organisations (not the enterprise itself) that stated a purpose. */
async function consentsFor(
  hub: HubContext["hub"],
  variables: unknown,
  registry: RegistryClient,
): Promise<ConsentBasis[]> {
  const { caller, purpose } = hub;
  if (caller.kind !== "organisation" || caller.organisationType === "ENTERPRISE" || !purpose) return [];
  const usccs = [...usccsIn(variables)];
  const unknown = usccs.filter((u) => !hub.consents.has(u));
  if (unknown.length) {
    const live = await registry.liveConsents(caller, purpose, unknown, hub.requestId);
    // An enterprise may have given several, each for some owners: every one goes along, each owner cites its own.
    for (const u of unknown)
      hub.consents.set(
        u,
        live.filter((b) => b.uscc === u),
      );
  }
  return usccs.flatMap((u) => hub.consents.get(u) ?? []);
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
