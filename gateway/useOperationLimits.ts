import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { edgeError } from "./edge-errors.ts";
import type { EdgeOptions } from "./edge-options.ts";

/**
 * The operation's shape limits, by graphql-armor, each refusing with the hub's
 * own code (through `onReject`, which throws it; armor's own error is not sent).
 *
 * Checked linear (read in node_modules, 2.x; and see bench/document-checks.ts):
 * the token limit counts tokens as the parser takes them and stops the parse
 * one past the limit; depth, aliases and directives are validation rules that
 * price each fragment once and reuse that at every later spread. Aliases and
 * directives are counted per spread (a fragment of 5 aliases spread 100 times
 * is 500), so fragments cannot hide what an operation really asks for.
 */
export function useOperationLimits(options: EdgeOptions): GatewayPlugin[] {
  const plugins: GatewayPlugin[] = [];
  const { maxTokens, maxDepth, maxAliases, maxDirectives } = options;
  if (maxTokens !== null)
    plugins.push(
      maxTokensPlugin({
        n: maxTokens,
        propagateOnRejection: false,
        onReject: [
          () => {
            throw edgeError("TOO_MANY_TOKENS", `The operation has more than ${maxTokens} tokens.`, 400);
          },
        ],
      }) as GatewayPlugin,
    );
  if (maxDepth !== null)
    plugins.push(
      maxDepthPlugin({
        n: maxDepth,
        // Depth counts fields, as before: a fragment (named or inline) adds no level of its own.
        flattenFragments: true,
        ignoreIntrospection: true,
        propagateOnRejection: false,
        onReject: [
          () => {
            throw edgeError("QUERY_TOO_DEEP", `The operation is nested deeper than ${maxDepth} levels.`, 400);
          },
        ],
      }) as GatewayPlugin,
    );
  if (maxAliases !== null)
    plugins.push(
      maxAliasesPlugin({
        n: maxAliases,
        // armor lets aliases of __typename through by default; they are aliases all the same.
        allowList: [],
        propagateOnRejection: false,
        onReject: [
          () => {
            throw edgeError("TOO_MANY_ALIASES", `The operation has more than ${maxAliases} aliases.`, 400);
          },
        ],
      }) as GatewayPlugin,
    );
  if (maxDirectives !== null)
    plugins.push(
      maxDirectivesPlugin({
        n: maxDirectives,
        propagateOnRejection: false,
        onReject: [
          () => {
            throw edgeError("TOO_MANY_DIRECTIVES", `The operation has more than ${maxDirectives} directives.`, 400);
          },
        ],
      }) as GatewayPlugin,
    );
  return plugins;
}
