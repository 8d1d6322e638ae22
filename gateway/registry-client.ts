import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { type CryptoKey, decodeJwt } from "jose";
import { LRUCache } from "lru-cache";
import { HUB_TOKEN_HEADER, REQUEST_ID_HEADER } from "../protocol/headers.ts";
import {
  CONSENTS_SCOPE,
  type ConsentBasis,
  CREDENTIALS_SCOPE,
  DIRECTORY_SCOPE,
  mintHubToken,
} from "../protocol/hub-token.ts";
import { ANONYMOUS, type Caller, type CredentialResult } from "../protocol/identity.ts";

/**
 * The gateway's own questions to the registry, which alone holds credentials
 * and consents. Each call is signed like any subgraph request, with a scope
 * that only the matching registry endpoint accepts.
 */
export interface RegistryClient {
  /** Whose API key (or identity-provider JWT) is this? */
  resolveCredential(credential: { apiKey: string } | { jwt: string }, requestId: string): Promise<CredentialResult>;
  /** Which of these enterprises gave the caller live consent for the purpose, and which consent (one per enterprise)? */
  liveConsents(caller: Caller, purpose: string, usccs: string[], requestId: string): Promise<ConsentBasis[]>;
  /** Which of these enterprises does the directory know? Asked before relaying a write to a data owner. */
  knownEnterprises(usccs: string[], requestId: string): Promise<string[]>;
  /** A write reached the registry through this gateway: it may have revoked a credential kept, so keep none. */
  forget(): void;
}

export interface RegistryCacheOptions {
  /** How long the registry's acceptance of a credential is reused (REGISTRY_CACHE_SECONDS); 0: never. */
  seconds: number;
  /** The clock the bound is measured on (tests move it). */
  now?: () => Date;
}

export function registryClient(
  registryGraphqlUrl: string,
  signingKey: CryptoKey,
  cache: RegistryCacheOptions = { seconds: 0 },
): RegistryClient {
  return cachedRegistry(directRegistry(registryGraphqlUrl, signingKey), cache);
}

function directRegistry(registryGraphqlUrl: string, signingKey: CryptoKey): RegistryClient {
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
      const result = await call<{ consents: ConsentBasis[] }>(
        "/internal/consents",
        CONSENTS_SCOPE,
        { consumerId: caller.organisationId, purpose, usccs },
        requestId,
      );
      return result.consents;
    },
    knownEnterprises: async (usccs, requestId) => {
      if (!usccs.length) return [];
      const result = await call<{ usccs: string[] }>("/internal/directory", DIRECTORY_SCOPE, { usccs }, requestId);
      return result.usccs;
    },
    forget: () => {},
  };
}

function unavailable() {
  return new GraphQLError("The hub's registry is unavailable right now; try again shortly.", {
    extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
  });
}

/** Room for the credentials of a busy hub's last few seconds; beyond it the oldest are asked again. */
const CACHE_ENTRIES = 10_000;

/**
 * Reuses the registry's "yes" to a credential for a short, stated time: without it every request costs the gateway a
 * signed call to the registry and the registry a request of its own, for an answer that rarely changes. Only
 * acceptance is kept, so a key just issued works at once. A key revoked through this gateway stops working on its next
 * request (`forget`, called once a write to the registry has been relayed); one revoked through another gateway
 * replica, or expired, within `seconds` (the bound the README states). A credential is kept by its SHA-256, never as
 * the secret itself, and an identity-provider token no longer than its own `exp`. Consents are not kept: an
 * enterprise's withdrawal holds from the next request, and that lookup is one call for all enterprises of a request.
 */
function cachedRegistry(registry: RegistryClient, { seconds, now = () => new Date() }: RegistryCacheOptions) {
  if (seconds <= 0) return registry;
  const ttl = seconds * 1000;
  const credentials = new LRUCache<string, Extract<CredentialResult, { ok: true }>>({
    max: CACHE_ENTRIES,
    ttl,
    // Read the clock on every look: lru-cache's default reuses one reading for 1 ms of real time.
    ttlResolution: 0,
    perf: { now: () => now().getTime() },
  });
  return {
    async resolveCredential(credential, requestId) {
      const key = credentialKey(credential);
      const cached = credentials.get(key);
      if (cached) return cached;
      const result = await registry.resolveCredential(credential, requestId);
      if (result.ok) {
        const lifetime = "jwt" in credential ? jwtLifetimeMs(credential.jwt, now()) : ttl;
        if (lifetime > 0) credentials.set(key, result, { ttl: Math.min(ttl, lifetime) });
      }
      return result;
    },
    liveConsents: (caller, purpose, usccs, requestId) => registry.liveConsents(caller, purpose, usccs, requestId),
    knownEnterprises: (usccs, requestId) => registry.knownEnterprises(usccs, requestId),
    forget: () => credentials.clear(),
  } satisfies RegistryClient;
}

function credentialKey(credential: { apiKey: string } | { jwt: string }): string {
  const [kind, secret] = "apiKey" in credential ? ["key", credential.apiKey] : ["jwt", credential.jwt];
  return `${kind}:${createHash("sha256").update(secret).digest("base64url")}`;
}

/** How long the registry's acceptance of this token may be kept: until its `exp`, which the registry has checked. */
function jwtLifetimeMs(jwt: string, at: Date): number {
  try {
    const { exp } = decodeJwt(jwt);
    return typeof exp === "number" ? exp * 1000 - at.getTime() : 0;
  } catch {
    return 0;
  }
}
