import SchemaBuilder from "@pothos/core";
import DirectivesPlugin from "@pothos/plugin-directives";
import FederationPlugin from "@pothos/plugin-federation";
import { PURPOSES } from "../../protocol/access-terms.ts";
import type { SubgraphContext } from "./context.ts";
import { DateScalar, DateTimeScalar, USCCScalar } from "./scalars.ts";

/** The Pothos schema types of every subgraph builder, for kit code that adds to a subgraph's schema. */
export type SdkTypes<Db> = PothosSchemaTypes.ExtendDefaultTypes<{ Context: SubgraphContext<Db>; Scalars: SdkScalars }>;

export type SdkScalars = {
  USCC: { Input: string; Output: string };
  Date: { Input: Date; Output: Date };
  DateTime: { Input: Date; Output: Date };
};

/**
 * A Pothos builder with what every subgraph shares: federation, the kit's
 * scalars, and the query type (a subgraph that writes adds its mutation type). Each subgraph's `builder.ts` makes exactly one.
 */
export function createSubgraphBuilder<Db>() {
  const builder = new SchemaBuilder<{ Context: SubgraphContext<Db>; Scalars: SdkScalars }>({
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

const purposeEnums = new WeakMap<object, unknown>();

/** The `Purpose` enum, defined once per builder whichever schema file asks first. */
export function purposeEnum<Db>(builder: ReturnType<typeof createSubgraphBuilder<Db>>) {
  let ref = purposeEnums.get(builder);
  if (!ref) {
    ref = builder.enumType("Purpose", {
      values: PURPOSES,
      description:
        "Why the caller wants the data; stated per request in x-purpose, matched against grants and consents.",
    });
    purposeEnums.set(builder, ref);
  }
  return ref as ReturnType<typeof builder.enumType<"Purpose", typeof PURPOSES>>;
}
