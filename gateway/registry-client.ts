import { GraphQLError } from "graphql";
import type { CryptoKey } from "jose";
import { HUB_TOKEN_HEADER, REQUEST_ID_HEADER } from "../protocol/headers.ts";
import { CONSENTS_SCOPE, CREDENTIALS_SCOPE, DIRECTORY_SCOPE, mintHubToken } from "../protocol/hub-token.ts";
import { ANONYMOUS, type Caller, type CredentialResult } from "../protocol/identity.ts";

/**
 * The gateway's own questions to the registry, which alone holds credentials
 * and consents. Each call is signed like any subgraph request, with a scope
 * that only the matching registry endpoint accepts.
 */
export interface RegistryClient {
  /** Whose API key (or identity-provider JWT) is this? */
  resolveCredential(credential: { apiKey: string } | { jwt: string }, requestId: string): Promise<CredentialResult>;
  /** Which of these enterprises gave the caller live consent for the purpose? */
  liveConsents(caller: Caller, purpose: string, usccs: string[], requestId: string): Promise<string[]>;
  /** Which of these enterprises does the directory know? Asked before relaying a write to a data owner. */
  knownEnterprises(usccs: string[], requestId: string): Promise<string[]>;
}

export function registryClient(registryGraphqlUrl: string, signingKey: CryptoKey): RegistryClient {
  async function call<T>(path: string, scope: string, payload: unknown, requestId: string): Promise<T> {
    const body = JSON.stringify(payload);
    const token = await mintHubToken(signingKey, "registry", body, {
      caller: ANONYMOUS,
      purpose: null,
      requestId,
      scope,
    });
    let response: Response;
    try {
      response = await fetch(new URL(path, registryGraphqlUrl), {
        method: "POST",
        headers: { "content-type": "application/json", [HUB_TOKEN_HEADER]: token, [REQUEST_ID_HEADER]: requestId },
        body,
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw unavailable();
    }
    if (!response.ok) throw unavailable();
    return (await response.json()) as T;
  }
  return {
    resolveCredential: (credential, requestId) =>
      call<CredentialResult>("/internal/credentials", CREDENTIALS_SCOPE, credential, requestId),
    liveConsents: async (caller, purpose, usccs, requestId) => {
      if (caller.kind !== "organisation") return [];
      const result = await call<{ usccs: string[] }>(
        "/internal/consents",
        CONSENTS_SCOPE,
        { consumerId: caller.organisationId, purpose, usccs },
        requestId,
      );
      return result.usccs;
    },
    knownEnterprises: async (usccs, requestId) => {
      if (!usccs.length) return [];
      const result = await call<{ usccs: string[] }>("/internal/directory", DIRECTORY_SCOPE, { usccs }, requestId);
      return result.usccs;
    },
  };
}

function unavailable() {
  return new GraphQLError("The hub's registry is unavailable right now; try again shortly.", {
    extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
  });
}
