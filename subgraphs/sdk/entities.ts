import { classified } from "./access.ts";
import type { createSubgraphBuilder } from "./builder.ts";

/**
 * The two entities every owner subgraph meets: Enterprise, keyed by USCC
 * (the owner adds the fields it holds where those types are defined), and
 * Organisation, referenced by id (its fields are the registry's).
 */
export function ownerEntities<Db>(builder: ReturnType<typeof createSubgraphBuilder<Db>>) {
  const Enterprise = builder.objectRef<{ uscc: string }>("Enterprise");
  Enterprise.implement({
    fields: (t) => ({
      uscc: t.field({ type: "USCC", nullable: false, ...classified("PUBLIC"), resolve: (e) => e.uscc }),
    }),
  });
  builder.asEntity(Enterprise, {
    key: builder.selection<{ uscc: string }>("uscc"),
    resolveReference: ({ uscc }) => ({ uscc }),
  });

  const Organisation = builder.objectRef<{ id: string }>("Organisation");
  Organisation.implement({ fields: (t) => ({ id: t.exposeID("id", { nullable: false, ...classified("PUBLIC") }) }) });
  builder.asEntity(Organisation, {
    key: builder.selection<{ id: string }>("id"),
    resolveReference: ({ id }) => ({ id }),
  });
  return { Enterprise, Organisation };
}
