import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import type { CryptoKey } from "jose";
import { CLIENT_ADDRESS_HEADER } from "./client-address.ts";
import { edgeError } from "./edge-errors.ts";
import type { EdgeOptions } from "./edge-options.ts";
import { mayIntrospect } from "./introspection.ts";
import type { RegistryClient } from "./registry-client.ts";
import { type HubContext, useAuthentication } from "./useAuthentication.ts";
import { useCostLimit } from "./useCostLimit.ts";
import { useCsrfPrevention } from "./useCsrfPrevention.ts";
import { useEntityErrorPaths } from "./useEntityErrorPaths.ts";
import { useHiddenSuggestions } from "./useHiddenSuggestions.ts";
import { useHubToken } from "./useHubToken.ts";
import { useNoSubscriptions } from "./useNoSubscriptions.ts";
import { useOperationLimits } from "./useOperationLimits.ts";
import { useRateLimit } from "./useRateLimit.ts";
import { useSubgraphTimeout } from "./useSubgraphTimeout.ts";

/**
 * The gateway's plugins, in the one order that is safe; this list is the only
 * place it is written. The runtime calls hooks in request order (onRequestParse,
 * onParams, parse, validate, subscribe/execute, each subgraph fetch) and, within
 * one hook, in list order (its own plugins, such as the request id, first), so
 * the order bites between plugins that share a hook or read what an earlier one
 * left; each line says which.
 */
export function gatewayPlugins(options: {
  edge: EdgeOptions;
  registry: RegistryClient;
  signingKey: CryptoKey;
  /** SUBGRAPH_TIMEOUT_MS_<NAME>, else SUBGRAPH_TIMEOUT_MS. */
  subgraphTimeoutMs: (subgraph: string) => number;
}): GatewayPlugin<HubContext>[] {
  const { edge } = options;
  return [
    // onRequestParse: a forged cross-site request is refused before its body is read or its credential sent to the registry.
    ...(edge.csrfPrevention ? [useCsrfPrevention()] : []),
    // onParams, first there: the rate limit below counts per organisation, and validation shows operators more.
    useAuthentication(options.registry),
    // onParams, after authentication (it keys on the caller) and before the parser, so what the limits below refuse still counts.
    useRateLimit(edge.rateLimitPerMinute, CLIENT_ADDRESS_HEADER),
    // parse (tokens) and validate (depth, aliases, directives): the document is bounded before the cost estimate walks it.
    ...useOperationLimits(edge),
    // validate: reads the caller authentication settled; it changes how validation words errors, not which rules run.
    useHiddenSuggestions((context) => mayIntrospect(edge, context as Partial<HubContext>)),
    // subscribe: after validation, so an invalid subscription is refused as invalid; never meets the cost limit (execute).
    useNoSubscriptions(),
    // execute: the last refusal, before any owner is asked.
    useCostLimit({
      maxCost: edge.maxCost,
      refuse: (cost, max) =>
        edgeError(
          "QUERY_TOO_COSTLY",
          `The operation would cost about ${Math.round(cost)}; at most ${max}. Ask for fewer items or fields at once.`,
          400,
        ),
    }),
    // onSubgraphExecute, which nothing else here uses: a subgraph that does not answer in time costs only its own fields.
    useSubgraphTimeout(options.subgraphTimeoutMs) as GatewayPlugin<HubContext>,
    // onFetch: the token binds the exact body and headers sent, so a plugin that changes a subgraph request goes above it.
    useHubToken(options.signingKey, options.registry),
    // onDelegationStageExecute, which nothing else here uses: after the owners answered, before errors are masked.
    useEntityErrorPaths(),
  ];
}
