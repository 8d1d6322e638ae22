import { randomUUID } from "node:crypto";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError } from "graphql";
import type { CryptoKey } from "jose";
import { HUB_TOKEN_HEADER, type HubRequestContext, mintHubToken } from "../subgraphs/kit/hub-token.ts";
import { ANONYMOUS, type Caller, type CredentialResult } from "../subgraphs/kit/identity.ts";

/** What the gateway knows about each client request once authenticated. */
export interface HubContext {
  hub: Omit<HubRequestContext, "scope">;
}

export type CredentialResolver = (apiKey: string, requestId: string) => Promise<CredentialResult>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const PURPOSE = /^[A-Z][A-Z0-9_]{1,63}$/;

function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: {
      code: "UNAUTHENTICATED",
      http: { status: 401, headers: { "www-authenticate": 'ApiKey realm="credit-hub"' } },
    },
  });
}

/** API key from `x-api-key`, or `Authorization: Bearer chk_…`. */
function presentedApiKey(headers: Headers): string | null {
  const direct = headers.get("x-api-key");
  if (direct) return direct.trim();
  const auth = headers.get("authorization");
  const match = auth ? /^Bearer\s+(chk_\S+)$/i.exec(auth.trim()) : null;
  return match ? (match[1] as string) : null;
}

/**
 * Establishes who is calling (anonymous, or an organisation by API key) and
 * the purpose they state; a credential that is presented but not valid is an
 * error, never a silent downgrade to anonymous.
 */
export function authenticationPlugin(resolveCredential: CredentialResolver): GatewayPlugin<HubContext> {
  return {
    async onContextBuilding({ context, extendContext }) {
      const headers = context.request.headers;
      const given = headers.get("x-request-id");
      const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
      const purposeHeader = headers.get("x-purpose")?.trim() || null;
      if (purposeHeader && !PURPOSE.test(purposeHeader))
        throw new GraphQLError(
          `x-purpose must be a purpose code such as LOAN_APPROVAL; got ${JSON.stringify(purposeHeader.slice(0, 64))}.`,
          {
            extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
          },
        );
      const apiKey = presentedApiKey(headers);
      let caller: Caller = ANONYMOUS;
      if (apiKey) {
        const result = await resolveCredential(apiKey, requestId);
        if (!result.ok) throw unauthenticated(result.reason);
        caller = result.caller;
      } else if (headers.get("authorization")) {
        throw unauthenticated(
          "Unsupported Authorization header. Send your API key as `x-api-key` or `Authorization: Bearer chk_…`.",
        );
      }
      extendContext({ hub: { caller, purpose: purposeHeader, requestId } });
    },
  };
}

/**
 * Signs every request the gateway sends to a subgraph with a hub token bound
 * to that subgraph and that exact body. Identity headers from the client are
 * never forwarded: the token is the only identity a subgraph accepts.
 */
export function hubTokenPlugin(signingKey: CryptoKey): GatewayPlugin<HubContext> {
  return {
    async onFetch({ options, setOptions, executionRequest, context }) {
      const subgraph = executionRequest?.subgraphName;
      if (!subgraph) return;
      const hub = (context as Partial<HubContext> | undefined)?.hub;
      const body = typeof options.body === "string" ? options.body : "";
      const token = await mintHubToken(signingKey, subgraph, body, {
        caller: hub?.caller ?? ANONYMOUS,
        purpose: hub?.purpose ?? null,
        requestId: hub?.requestId ?? randomUUID(),
      });
      const headers = new Headers(options.headers as HeadersInit | undefined);
      headers.set(HUB_TOKEN_HEADER, token);
      if (hub) headers.set("x-request-id", hub.requestId);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}
