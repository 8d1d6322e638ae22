import SchemaBuilder from "@pothos/core";
import DirectivesPlugin from "@pothos/plugin-directives";
import FederationPlugin from "@pothos/plugin-federation";
import type { SubgraphContext } from "./context.ts";
import { DateScalar, DateTimeScalar, USCCScalar } from "./scalars.ts";

export type KitScalars = {
  USCC: { Input: string; Output: string };
  Date: { Input: Date; Output: Date };
  DateTime: { Input: Date; Output: Date };
};

/**
 * A Pothos builder with what every subgraph shares: federation, the kit's
 * scalars, and the query type (a subgraph that writes adds its mutation type). Each subgraph's `builder.ts` makes exactly one.
 */
export function createSubgraphBuilder<Db>() {
  const builder = new SchemaBuilder<{ Context: SubgraphContext<Db>; Scalars: KitScalars }>({
    plugins: [DirectivesPlugin, FederationPlugin],
  });
  builder.addScalarType("USCC", USCCScalar);
  builder.addScalarType("Date", DateScalar);
  builder.addScalarType("DateTime", DateTimeScalar);
  builder.queryType({});
  return builder;
}

/**
 * Federation 2.6: the newest version @theguild/federation-composition accepts.
 * Pothos imports just the federation directives the schema uses.
 */
export const SUBGRAPH_SCHEMA_OPTIONS = { linkUrl: "https://specs.apollo.dev/federation/v2.6" };
