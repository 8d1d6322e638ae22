import { badInput, forbidden } from "../../protocol/errors.ts";
import { type DenialCode, decide, noteOf, type RequestAccess } from "./access.ts";
import { type createSubgraphBuilder, purposeEnum } from "./builder.ts";
import type { SubgraphContext } from "./context.ts";
import { requestLoader } from "./loaders.ts";
import { type PermissionTable, rules } from "./permissions.ts";

/**
 * The bank's standing check, as one entity every owner subgraph adds to:
 * `Standing @key(fields: "uscc purpose")`. The registry answers `standing` and
 * `standings` and gives the verdict; each owner adds a summary of what it holds
 * (each field under the owner's classes) and its *concerns*, the adverse facts
 * the registry's verdict `@requires`. Concerns are released only when the
 * caller may see the CONSENT data of every owner they draw on, so a verdict
 * never rests on, or leaks, data the bank could not see itself.
 */
export interface StandingKey {
  uscc: string;
  purpose: string;
}

/** What one owner's data about one enterprise says against it (empty: nothing adverse). */
export interface OwnerConcerns {
  ownerId: string;
  concerns: string[];
}

/** A subgraph's concerns about one enterprise: those drawn from public facts, and each owner's. */
export interface StandingAssessment {
  publicConcerns: string[];
  owners: OwnerConcerns[];
}

type Builder<Db> = ReturnType<typeof createSubgraphBuilder<Db>>;

/** The subgraph's `Standing` entity: the key, and the rule that only banks' and insurers' staff reach it. */
export function standingEntity<Db>(builder: Builder<Db>) {
  const Purpose = purposeEnum(builder);
  const Standing = builder.objectRef<StandingKey>("Standing");
  Standing.implement({
    description:
      "A bank's standing check of one enterprise for one purpose: what each owner holds, and the hub's verdict.",
    fields: (t) => ({
      uscc: t.field({ type: "USCC", nullable: false, resolve: (s) => s.uscc }),
      purpose: t.field({ type: Purpose, nullable: false, resolve: (s) => s.purpose as never }),
    }),
  });
  builder.asEntity(Standing, {
    key: builder.selection<StandingKey>("uscc purpose"),
    resolveReference: (key, { access }) => standingKey(key, access),
  });
  const permissions: PermissionTable = { Standing: { "*": rules.staffOf("FINANCIAL") } };
  return { Standing, permissions };
}

/**
 * A standing is asked for one purpose, the one the caller states for the
 * whole request (x-purpose): grants and consents are matched against that.
 */
export function standingKey<K extends StandingKey>(key: K, access: Pick<RequestAccess, "purpose">): K {
  if (!access.purpose)
    throw badInput(
      `State your purpose in x-purpose; it must be the purpose you ask the standing for (${key.purpose}).`,
    );
  if (key.purpose !== access.purpose)
    throw badInput(
      `The standing's purpose (${key.purpose}) must be the purpose stated in x-purpose (${access.purpose}).`,
    );
  return key;
}

/**
 * Adds `Standing.<field>: [String!]`: this subgraph's concerns about the
 * enterprise. `assess` gets every USCC of the request at once (one batch, so
 * the SQL does not grow with the number of standings) and returns, per USCC,
 * the concerns drawn from public facts and one entry per owner holding
 * non-public data about it (an owner with nothing on file is not asked).
 */
export function addStandingConcerns<Db>(
  builder: Builder<Db>,
  Standing: ReturnType<typeof standingEntity<Db>>["Standing"],
  options: {
    field: string;
    description: string;
    assess: (usccs: readonly string[], context: SubgraphContext<Db>) => Promise<StandingAssessment[]>;
  },
) {
  builder.objectField(Standing, options.field, (t) =>
    t.stringList({
      nullable: true,
      description: `${options.description} Empty when nothing is adverse; FORBIDDEN unless every owner it draws on lets you see its CONSENT data for this purpose.`,
      resolve: async ({ uscc }, _args, context) => {
        const { publicConcerns, owners } = await requestLoader(
          context.loaders,
          `standing:${options.field}`,
          (usccs: readonly string[]) => options.assess(usccs, context),
        ).load(uscc);
        const denials: { ownerId: string; reason: string; code: DenialCode }[] = [];
        for (const { ownerId } of owners) {
          const subject = { ownerId, uscc };
          const decision = await decide("CONSENT", subject, context.access);
          context.access.note(noteOf(subject, `Standing.${options.field}`, decision));
          if (!decision.allowed) denials.push({ ownerId, ...decision });
        }
        const [first] = denials;
        if (first)
          throw forbidden(
            `${owners.length} 个数据保管机构中有 ${denials.length} 个不允许您查看 / ${denials.length} of ${owners.length} owners holding data about ${uscc} do not let you see it: ${denials.map((d) => `${d.ownerId}: ${d.reason}`).join(" ")}`,
            // One code for the whole refusal: a missing consent is what the caller can most often put right.
            denials.some((d) => d.code === "CONSENT_MISSING") ? "CONSENT_MISSING" : first.code,
          );
        return [...publicConcerns, ...owners.flatMap((o) => o.concerns)];
      },
    }),
  );
}
