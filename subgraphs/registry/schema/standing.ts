import type { Consent, Programme } from "../../../prisma/registry/generated/client.ts";
import { badInput, forbidden, notFound } from "../../../protocol/errors.ts";
import { purposeEnum } from "../../sdk/builder.ts";
import { requireOrganisation } from "../../sdk/context.ts";
import { FINDING_SELECTION } from "../../sdk/findings.ts";
import { groupBy, requestLoader } from "../../sdk/loaders.ts";
import { findingType, type StandingKey, standingKey } from "../../sdk/standing.ts";
import type { StandingPart } from "../../sdk/subgraph.ts";
import { builder, type RegistryContext } from "../owner.ts";
import { eligibility, type FindingFacts, type Unmet } from "../rules/programmes.ts";
import { ConsentRef } from "./consent.ts";
import { EnterpriseRef, enterpriseOf } from "./enterprise.ts";
import { findOrganisation, OrganisationRef } from "./organisation.ts";
import { criteriaOf, liveProgrammes, ProgrammeRef } from "./programme.ts";

/**
 * The standing check's entry point and verdict. The registry knows the
 * enterprise and the consent; the owners add what they hold to `Standing`;
 * the verdict `@requires` each owner subgraph's findings, so the gateway
 * fetches those first, under the owners' own permissions and audit.
 */

/**
 * The owners whose concerns the verdict weighs, with what each part is called
 * in reasons: learnt from the supergraph (each owner's declaration, or a
 * partner's entry in supergraph.config.json) when the schema is built, since
 * the verdict `@requires` each one's `<subgraph>Findings`.
 */
let parts: readonly StandingPart[] = [];

export function weighStandingParts(standing: readonly StandingPart[]): void {
  if (standing.length === 0)
    throw new Error(
      "The registry's standing verdict needs at least one owner with a part in it (a `standing` in an owner's declaration or a partner's supergraph.config.json entry).",
    );
  parts = standing;
}

const findingsField = (part: StandingPart) => `${part.subgraph}Findings`;
// Pothos types a selection from a literal; this one is known only when the schema is built.
const required = () =>
  builder.selection<Representation>(
    parts.map((part) => `${findingsField(part)} { ${FINDING_SELECTION} }`).join(" ") as never,
  );
// What arrives is the representation the gateway built: a part an owner withheld
// may come as null or as the owner's error object, so only a list of findings counts.
type Representation = Record<string, unknown>;

export const MAX_STANDINGS = 100;

const Purpose = purposeEnum(builder);
const FindingRef = findingType(builder);

const StandingRef = builder.externalRef(
  "Standing",
  builder.selection<StandingKey>("uscc purpose"),
  (key: StandingKey, { access }) => standingKey(key, access),
);

/** One adverse finding, or a part that could not be weighed, for programs (code) and people (messages). */
export interface Concern {
  code: string;
  ownerId: string | null;
  message: string;
  messageEn: string;
  since: Date | null;
}

const ConcernRef = builder.objectRef<Concern>("StandingConcern").implement({
  description:
    "Why the verdict is what it is, one concern each: a stable code, the owner by name, and the message in Chinese and English.",
  fields: (t) => ({
    code: t.exposeString("code", {
      description: "Stable: a finding code (NEGATIVE_RECORD, ACTIVE_SANCTION, LATE_PAYMENTS…) or NOT_WEIGHED.",
    }),
    owner: t.field({
      type: OrganisationRef,
      nullable: true,
      description: "The owner whose records say it; null for a part that could not be weighed.",
      resolve: (c, _a, { db }) => (c.ownerId ? findOrganisation(db, c.ownerId) : null),
    }),
    message: t.exposeString("message", { description: "In Chinese, the owner named." }),
    messageEn: t.exposeString("messageEn", { description: "In English, the owner named." }),
    since: t.field({ type: "Date", nullable: true, resolve: (c) => c.since }),
  }),
});

export interface Eligibility {
  programme: Programme;
  eligible: boolean | null;
  unmet: Unmet[];
}

const UnmetRef = builder.objectRef<Unmet>("UnmetCriterion").implement({
  description: "A programme criterion the enterprise does not meet, and why.",
  fields: (t) => ({
    criterion: t.exposeString("criterion", { description: "The criterion's kind." }),
    code: t.exposeString("code", { description: "Stable: why it is unmet (GRADE_BELOW, SANCTIONED, NOT_WEIGHED…)." }),
    message: t.exposeString("message"),
    messageEn: t.exposeString("messageEn"),
  }),
});

const EligibilityRef = builder.objectRef<Eligibility>("ProgrammeEligibility").implement({
  description: "Whether the enterprise qualifies for one of your programmes.",
  fields: (t) => ({
    programme: t.field({ type: ProgrammeRef, resolve: (e) => e.programme }),
    eligible: t.boolean({
      nullable: true,
      description: "null when a part the criteria need is withheld from you (see unmet: NOT_WEIGHED).",
      resolve: (e) => e.eligible,
    }),
    unmet: t.field({ type: [UnmetRef], resolve: (e) => e.unmet }),
  }),
});

StandingRef.implement({
  externalFields: (t) =>
    Object.fromEntries(parts.map((part) => [findingsField(part), t.field({ type: [FindingRef], nullable: true })])),
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
        "The enterprise's live consent to you for this purpose, if it gave one. Without it the owners' CONSENT data, their findings and the verdict are FORBIDDEN.",
      resolve: ({ uscc }, _a, context) => liveConsent(context, uscc),
    }),
    goodStanding: t.boolean({
      nullable: true,
      description:
        "True when no owner holds anything adverse; false when one does. FORBIDDEN when a part it needs is withheld from you, so a verdict never rests on data you could not see.",
      requires: required(),
      resolve: (standing) => {
        const weighed = weigh(standing);
        const { withheld } = weighed;
        const verdict = verdictOf(weighed);
        if (verdict === null)
          throw forbidden(
            `无法判定：「${withheld.join("」「")}」未向您开放 / No verdict: ${withheld.join(", ")} ${withheld.length === 1 ? "is" : "are"} withheld from you (see the FORBIDDEN errors on those parts).`,
            "CONSENT_MISSING",
          );
        return verdict;
      },
    }),
    concerns: t.field({
      type: [ConcernRef],
      description:
        "Every adverse finding, with the owner named, and every part that could not be weighed (NOT_WEIGHED).",
      requires: required(),
      resolve: (standing, _a, context) => concernsOf(weigh(standing), context),
    }),
    reasons: t.stringList({
      nullable: false,
      description:
        "Why the verdict is what it is, for people: each concern in Chinese and English, the owner named. Programs read `concerns`.",
      requires: required(),
      resolve: async (standing, _a, context) => {
        const concerns = await concernsOf(weigh(standing), context);
        return concerns.length
          ? concerns.map((c) => `${c.message} / ${c.messageEn}`)
          : ["各数据保管机构均无不良信息 / Nothing adverse in any owner's records."];
      },
    }),
    programmes: t.field({
      type: [EligibilityRef],
      description:
        "Your organisation's live programmes, each with whether the enterprise qualifies and which criteria it does not meet.",
      requires: required(),
      resolve: (standing, _a, context) => programmesOf(weigh(standing), context),
    }),
  }),
});

/** A finding as the representation carries it. */
type Arrived = FindingFacts & { ownerId: string; message: string; messageEn: string };

const isFinding = (f: unknown): f is Arrived => {
  const x = f as Record<string, unknown> | null;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.code === "string" &&
    typeof x.ownerId === "string" &&
    typeof x.adverse === "boolean" &&
    typeof x.message === "string" &&
    typeof x.messageEn === "string"
  );
};

/** What the verdict is drawn from: every finding released, and the parts that were not. */
export interface Weighed {
  findings: Arrived[];
  withheld: string[];
}

function weigh(standing: Representation): Weighed {
  return weighParts((part) => standing[findingsField(part)]);
}

/** Weighs each part's findings as `released` gives them: a list of findings, or anything else for a withheld part. */
export function weighParts(released: (part: StandingPart) => unknown): Weighed {
  const findings: Arrived[] = [];
  const withheld: string[] = [];
  for (const part of parts) {
    const given = released(part);
    if (Array.isArray(given) && given.every(isFinding)) findings.push(...given);
    else withheld.push(part.part);
  }
  return { findings, withheld };
}

/** The verdict: false on anything adverse, null when a part is withheld and nothing visible is adverse. */
export const verdictOf = ({ findings, withheld }: Weighed): boolean | null =>
  findings.some((f) => f.adverse) ? false : withheld.length ? null : true;

/** Each of the caller's live programmes, with whether the enterprise qualifies. */
export async function programmesOf({ findings, withheld }: Weighed, context: RegistryContext): Promise<Eligibility[]> {
  return (await liveProgrammes(context)).map((programme) => ({
    programme,
    ...eligibility(criteriaOf(programme), findings, withheld, context.now()),
  }));
}

/** The parts of the standing check, as the supergraph has them. */
export const standingParts = (): readonly StandingPart[] => parts;

/** Owners name organisations by id; the registry, which keeps the directory, puts their names in front. */
export async function concernsOf({ findings, withheld }: Weighed, context: RegistryContext): Promise<Concern[]> {
  const adverse = findings.filter((f) => f.adverse);
  const names = await organisationNames(
    context,
    adverse.map((f) => f.ownerId),
  );
  return [
    ...adverse.map((f) => {
      const owner = names.get(f.ownerId) ?? f.ownerId;
      return {
        code: f.code,
        ownerId: f.ownerId,
        message: `${owner}：${f.message}`,
        messageEn: `${owner}: ${f.messageEn}`,
        since: typeof f.since === "string" ? new Date(`${f.since}T00:00:00Z`) : null,
      };
    }),
    ...withheld.map((part) => ({
      code: "NOT_WEIGHED",
      ownerId: null,
      message: `未纳入判断：「${part}」未向您开放`,
      messageEn: `Not weighed: the ${part} are withheld from you.`,
      since: null,
    })),
  ];
}

export async function organisationNames(
  { read, loaders }: RegistryContext,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const names = await requestLoader(loaders, "organisationNames", async (keys: readonly string[]) => {
    const rows = await read<{ id: string; name: string }>(
      `SELECT id, name FROM "Organisation" WHERE id = ANY($1::uuid[])`,
      [keys],
    );
    const byId = new Map(rows.map((o) => [o.id, o.name]));
    return keys.map((k) => byId.get(k) ?? k);
  }).loadMany(unique);
  return new Map(unique.map((id, i) => [id, typeof names[i] === "string" ? (names[i] as string) : id]));
}

export function liveConsent(context: RegistryContext, uscc: string): Promise<Consent | null> {
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
