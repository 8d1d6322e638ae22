import type { Consent } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { purposeEnum } from "../../sdk/builder.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { type StandingKey, standingKey } from "../../sdk/standing.ts";
import type { StandingPart } from "../../sdk/subgraph.ts";
import { builder, type RegistryContext } from "../owner.ts";
import { ConsentRef } from "./consent.ts";
import { EnterpriseRef, enterpriseOf } from "./enterprise.ts";

/**
 * The standing check's entry point and verdict. The registry knows the
 * enterprise and the consent; the owners add what they hold to `Standing`;
 * the verdict `@requires` each owner subgraph's concerns, so the gateway
 * fetches those first, under the owners' own permissions and audit.
 */

/**
 * The owners whose concerns the verdict weighs, with what each part is called
 * in reasons: learnt from the supergraph (each owner's declaration, or a
 * partner's entry in supergraph.config.json) when the schema is built, since
 * the verdict `@requires` each one's `<subgraph>Concerns`.
 */
let parts: readonly StandingPart[] = [];

export function weighStandingParts(standing: readonly StandingPart[]): void {
  if (standing.length === 0)
    throw new Error(
      "The registry's standing verdict needs at least one owner with a part in it (a `standing` in an owner's declaration or a partner's supergraph.config.json entry).",
    );
  parts = standing;
}

const concernsField = (part: StandingPart) => `${part.subgraph}Concerns`;
// What arrives is the representation the gateway built: a part an owner withheld
// may come as null or as the owner's error object, so only a list of strings counts.
type Concerns = Record<string, unknown>;
// Pothos types a selection from a literal; this one is known only when the schema is built.
const required = () => builder.selection<Concerns>(parts.map(concernsField).join(" ") as never);

export const MAX_STANDINGS = 100;

const Purpose = purposeEnum(builder);

const StandingRef = builder.externalRef(
  "Standing",
  builder.selection<StandingKey>("uscc purpose"),
  (key: StandingKey, { access }) => standingKey(key, access),
);

StandingRef.implement({
  externalFields: (t) =>
    Object.fromEntries(parts.map((part) => [concernsField(part), t.stringList({ nullable: true })])),
  fields: (t) => ({
    uscc: t.field({ type: "USCC", nullable: false, resolve: (s) => s.uscc }),
    purpose: t.field({ type: Purpose, nullable: false, resolve: (s) => s.purpose as never }),
    enterprise: t.field({
      type: EnterpriseRef,
      resolve: ({ uscc }, _a, context) => enterpriseOf(context, uscc),
    }),
    consent: t.field({
      type: ConsentRef,
      nullable: true,
      description:
        "The enterprise's live consent to you for this purpose, if it gave one. Without it the owners' CONSENT data, their concerns and the verdict are FORBIDDEN.",
      resolve: ({ uscc }, _a, context) => liveConsent(context, uscc),
    }),
    goodStanding: t.boolean({
      nullable: true,
      description:
        "True when no owner holds anything adverse; false when one does. FORBIDDEN when a part it needs is withheld from you, so a verdict never rests on data you could not see.",
      requires: required(),
      resolve: (standing) => {
        const { adverse, withheld } = weigh(standing);
        if (adverse.length) return false;
        if (withheld.length)
          throw forbidden(
            `No verdict: ${withheld.join(", ")} ${withheld.length === 1 ? "is" : "are"} withheld from you (see the FORBIDDEN errors on those parts).`,
          );
        return true;
      },
    }),
    reasons: t.stringList({
      nullable: false,
      description: "Why the verdict is what it is: every concern, and every part that could not be weighed.",
      requires: required(),
      resolve: async (standing, _a, context) => {
        const { adverse, withheld } = weigh(standing);
        const reasons = [
          ...(await namingOwners(adverse, context)),
          ...withheld.map((part) => `Not weighed: the ${part} are withheld from you.`),
        ];
        return reasons.length ? reasons : ["Nothing adverse in any owner's records."];
      },
    }),
  }),
});

function weigh(standing: Concerns): { adverse: string[]; withheld: string[] } {
  const adverse: string[] = [];
  const withheld: string[] = [];
  for (const part of parts) {
    const concerns = standing[concernsField(part)];
    if (Array.isArray(concerns) && concerns.every((c) => typeof c === "string")) adverse.push(...concerns);
    else withheld.push(part.part);
  }
  return { adverse, withheld };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Owners name organisations by id; the registry, which keeps the directory, puts their names in. */
async function namingOwners(concerns: string[], { read, loaders }: RegistryContext): Promise<string[]> {
  const ids = [...new Set(concerns.flatMap((c) => c.match(UUID) ?? []))];
  const names = await requestLoader(loaders, "organisationNames", async (keys: readonly string[]) => {
    const rows = await read<{ id: string; name: string }>(
      `SELECT id, name FROM "Organisation" WHERE id = ANY($1::uuid[])`,
      [keys],
    );
    const byId = new Map(rows.map((o) => [o.id, o.name]));
    return keys.map((k) => byId.get(k) ?? k);
  }).loadMany(ids);
  const nameOf = new Map(ids.map((id, i) => [id, typeof names[i] === "string" ? (names[i] as string) : id]));
  return concerns.map((c) => c.replace(UUID, (id) => nameOf.get(id) ?? id));
}

function liveConsent(context: RegistryContext, uscc: string): Promise<Consent | null> {
  const { caller, purpose, read, now, loaders } = context;
  const org = requireOrganisation(caller);
  return requestLoader(loaders, "standingConsent", async (usccs: readonly string[]) => {
    const rows = await read<Consent>(
      `SELECT * FROM "Consent" WHERE uscc = ANY($1) AND "consumerId" = $2::uuid AND purpose::text = $3
         AND "revokedAt" IS NULL AND "expiresAt" > $4::timestamptz
       ORDER BY "expiresAt" DESC`,
      [usccs, org.organisationId, purpose, now()],
    );
    return groupBy(usccs, rows, (c) => c.uscc).map((found) => found[0] ?? null);
  }).load(uscc);
}

/** The purpose argument must be the request's purpose: grants and consents are matched against x-purpose. */
function keyFor(uscc: string, purpose: string, context: RegistryContext): StandingKey {
  return standingKey({ uscc, purpose }, context.access);
}

builder.queryFields((t) => ({
  standing: t.field({
    type: StandingRef,
    description:
      "For banks and insurers: an enterprise's standing for one purpose (also stated in x-purpose), drawn from every owner, with the verdict and its reasons. Owners' CONSENT data needs the enterprise's consent.",
    args: {
      uscc: t.arg({ type: "USCC", required: true }),
      purpose: t.arg({ type: Purpose, required: true }),
    },
    resolve: async (_root, { uscc, purpose }, context) => {
      const key = keyFor(uscc, purpose, context);
      if (!(await enterpriseOf(context, uscc))) throw notFound(`No enterprise with code ${uscc} is known to the hub.`);
      return key;
    },
  }),
  standings: t.field({
    type: [StandingRef],
    nullable: { list: false, items: true },
    description: `The standing of up to ${MAX_STANDINGS} enterprises at once, in the order asked; an unknown code is null with a NOT_FOUND error at its place.`,
    args: {
      usccs: t.arg({ type: ["USCC"], required: true }),
      purpose: t.arg({ type: Purpose, required: true }),
    },
    resolve: async (_root, { usccs, purpose }, context) => {
      if (usccs.length === 0 || usccs.length > MAX_STANDINGS)
        throw badInput(`Ask for between 1 and ${MAX_STANDINGS} enterprises; got ${usccs.length}.`);
      const repeated = usccs.filter((u, i) => usccs.indexOf(u) !== i);
      if (repeated.length)
        throw badInput(`Each enterprise once, please: ${[...new Set(repeated)].join(", ")} repeated.`);
      const keys = usccs.map((u) => keyFor(u, purpose, context));
      const known = await Promise.all(usccs.map((u) => enterpriseOf(context, u)));
      return keys.map((k, i) =>
        known[i] ? k : notFound(`No enterprise with code ${k.uscc} is known to the hub.`),
      ) as StandingKey[];
    },
  }),
}));
