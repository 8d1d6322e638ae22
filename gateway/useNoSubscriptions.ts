import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { getOperationAST } from "graphql";
import { edgeError } from "./edge-errors.ts";

/**
 * The hub has no subscriptions: a request that picks a subscription operation
 * is the client's mistake and is refused as such. Without this, graphql's own
 * answer ("Schema is not configured to execute subscription operation.")
 * carries no code and leaves as INTERNAL_SERVER_ERROR. (An operationName that
 * names no operation Yoga refuses before this, as OPERATION_RESOLUTION_FAILURE,
 * which scrubbed-error.ts passes on as OPERATION_NOT_FOUND.)
 */
export function useNoSubscriptions(): GatewayPlugin {
  return {
    onSubscribe({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation === "subscription")
        throw edgeError(
          "SUBSCRIPTIONS_NOT_SUPPORTED",
          "The hub has no subscriptions: send a query or a mutation.",
          400,
        );
    },
  };
}
