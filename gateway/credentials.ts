import { GraphQLError } from "graphql";
import type { CryptoKey } from "jose";
import { CREDENTIALS_SCOPE, HUB_TOKEN_HEADER, mintHubToken } from "../subgraphs/kit/hub-token.ts";
import { ANONYMOUS, type CredentialResult } from "../subgraphs/kit/identity.ts";
import type { CredentialResolver } from "./authentication.ts";

/**
 * Checks API keys with the registry, which alone holds their hashes. The call
 * is signed like any other subgraph request, with a scope only this endpoint
 * accepts.
 */
export function registryCredentialResolver(registryGraphqlUrl: string, signingKey: CryptoKey): CredentialResolver {
  const endpoint = new URL("/internal/credentials", registryGraphqlUrl);
  return async (apiKey, requestId) => {
    const body = JSON.stringify({ apiKey });
    const token = await mintHubToken(signingKey, "registry", body, {
      caller: ANONYMOUS,
      purpose: null,
      requestId,
      scope: CREDENTIALS_SCOPE,
    });
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", [HUB_TOKEN_HEADER]: token, "x-request-id": requestId },
        body,
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw unavailable();
    }
    if (!response.ok) throw unavailable();
    return (await response.json()) as CredentialResult;
  };
}

function unavailable() {
  return new GraphQLError("Sign-in is unavailable right now; try again shortly.", {
    extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
  });
}
