import { describe, expect, test } from "vitest";
import { SENSITIVITY_CLASSES, type Sensitivity } from "../../protocol/access-terms.ts";
import { type Caller, ORGANISATION_TYPES, type OrganisationType } from "../../protocol/identity.ts";
import { decide, type GrantTerms, type RequestAccess, type Subject } from "../../subgraphs/sdk/access.ts";

/**
 * decide() over every combination: caller (anonymous or each organisation
 * type) × whose data it is to the caller × sensitivity class × the caller's
 * grants from the owner × the enterprise's consent × whether a purpose is
 * stated. What each combination should give is written out below as tables,
 * from the rules of DESIGN §4 and protocol/access-terms.ts, not computed by
 * decide: the test is the rule book, decide the thing checked against it.
 */

const NOW = new Date("2026-06-01T00:00:00Z");
const DAY = 86_400_000;
const OWNER = "owner-association";
const USCC = "91310115MA1K000001";
const OTHER_USCC = "91110000100000000X";
const PURPOSE = "LOAN_APPROVAL";
const subject: Subject = { ownerId: OWNER, uscc: USCC };

// ---------------------------------------------------------------- the rule book

/** How the caller stands to the row. */
const RELATIONS = {
  owner: "the organisation that keeps the row",
  "the enterprise itself": "an organisation acting for the row's enterprise code",
  "a third party": "any other organisation",
} as const;
type Relation = keyof typeof RELATIONS;

/**
 * The caller's grants from this subgraph, and which classes each releases to
 * the caller for the purpose it states (LOAN_APPROVAL). A grant releases only
 * when it is the row owner's, names the caller (by id or by type), is in its
 * validity, is not revoked, lists the class and lists the purpose.
 */
const GRANTS: Record<string, { releases: readonly Sensitivity[]; grants: (caller: Org) => GrantTerms[] }> = {
  "no grant": { releases: [], grants: () => [] },
  "a live SHARED and CONSENT grant to it by id": {
    releases: ["SHARED", "CONSENT"],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId })],
  },
  "a live SHARED and CONSENT grant to its type": {
    releases: ["SHARED", "CONSENT"],
    grants: (c) => [grant({ consumerType: c.organisationType })],
  },
  "a live SHARED-only grant": {
    releases: ["SHARED"],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, classes: ["SHARED"] })],
  },
  "a live CONSENT-only grant": {
    releases: ["CONSENT"],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, classes: ["CONSENT"] })],
  },
  "a grant for another purpose only": {
    releases: [],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, purposes: ["SUPERVISION"] })],
  },
  "a grant for another purpose beside one for this purpose covering SHARED only": {
    releases: ["SHARED"],
    grants: (c) => [
      grant({ consumerOrganisationId: c.organisationId, purposes: ["SUPERVISION"] }),
      grant({ consumerOrganisationId: c.organisationId, classes: ["SHARED"] }),
    ],
  },
  "an expired grant": {
    releases: [],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, validUntil: new Date(NOW.getTime() - DAY) })],
  },
  "a grant ending this very instant": {
    releases: [],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, validUntil: NOW })],
  },
  "a grant not yet valid": {
    releases: [],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, validFrom: new Date(NOW.getTime() + DAY) })],
  },
  "a grant starting this very instant": {
    releases: ["SHARED", "CONSENT"],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, validFrom: NOW })],
  },
  "a revoked grant": {
    releases: [],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, revokedAt: new Date(NOW.getTime() - DAY) })],
  },
  "a grant to another organisation type": {
    releases: [],
    grants: (c) => [grant({ consumerType: c.organisationType === "BUREAU" ? "REGULATOR" : "BUREAU" })],
  },
  "a grant to another organisation": {
    releases: [],
    grants: () => [grant({ consumerOrganisationId: "someone-else" })],
  },
  "a grant from another owner": {
    releases: [],
    grants: (c) => [grant({ consumerOrganisationId: c.organisationId, ownerId: "another-owner" })],
  },
};
type GrantState = keyof typeof GRANTS;

/**
 * The enterprise's consents the request carries (the registry sends live ones
 * only: an expired or revoked consent is simply not there), and whether each
 * is consent for this row's enterprise.
 */
const CONSENTS: Record<string, { forThisEnterprise: boolean; usccs: string[] }> = {
  "no consent": { forThisEnterprise: false, usccs: [] },
  "live consent": { forThisEnterprise: true, usccs: [USCC] },
  "consent from another enterprise only": { forThisEnterprise: false, usccs: [OTHER_USCC] },
};
type ConsentState = keyof typeof CONSENTS;

/** Who sees each class, besides anyone for PUBLIC (DESIGN §4, protocol/access-terms.ts). */
const CLASS_RULES: Record<
  Sensitivity,
  { owner: boolean; enterprise: boolean; byGrant: boolean; needsConsent: boolean; anyone: boolean }
> = {
  PUBLIC: { anyone: true, owner: true, enterprise: true, byGrant: true, needsConsent: false },
  MEMBER: { anyone: false, owner: true, enterprise: true, byGrant: false, needsConsent: false },
  SHARED: { anyone: false, owner: true, enterprise: true, byGrant: true, needsConsent: false },
  CONSENT: { anyone: false, owner: true, enterprise: true, byGrant: true, needsConsent: true },
  INTERNAL: { anyone: false, owner: true, enterprise: false, byGrant: false, needsConsent: false },
};

interface Case {
  caller: "ANONYMOUS" | OrganisationType;
  relation: Relation;
  cls: Sensitivity;
  grant: GrantState;
  consent: ConsentState;
  purpose: "a stated purpose" | "no purpose";
}

/** The rule book: whether the caller sees the field. */
function expected(c: Case): boolean {
  const rule = CLASS_RULES[c.cls];
  if (rule.anyone) return true;
  if (c.caller === "ANONYMOUS") return false;
  // The hub's operator is no party to credit data: public only, even with a grant naming it.
  if (c.caller === "HUB") return false;
  if (c.relation === "owner") return rule.owner;
  // Only an enterprise acts for its own code; another type carrying a code is a third party.
  if (c.relation === "the enterprise itself" && c.caller === "ENTERPRISE" && rule.enterprise) return true;
  if (!rule.byGrant) return false;
  if (c.purpose === "no purpose") return false;
  if (!GRANTS[c.grant]?.releases.includes(c.cls)) return false;
  return !rule.needsConsent || (CONSENTS[c.consent]?.forThisEnterprise ?? false);
}

// ---------------------------------------------------------------- building the inputs

type Org = Extract<Caller, { kind: "organisation" }>;

function grant(overrides: Partial<GrantTerms>): GrantTerms {
  return {
    ownerId: OWNER,
    consumerOrganisationId: null,
    consumerType: null,
    classes: ["SHARED", "CONSENT"],
    purposes: [PURPOSE],
    validFrom: new Date(NOW.getTime() - 30 * DAY),
    validUntil: null,
    revokedAt: null,
    ...overrides,
  };
}

function callerFor(c: Case): Caller {
  if (c.caller === "ANONYMOUS") return { kind: "anonymous" };
  return {
    kind: "organisation",
    organisationId: c.relation === "owner" ? OWNER : `${c.caller.toLowerCase()}-caller`,
    organisationType: c.caller,
    uscc: c.relation === "the enterprise itself" ? USCC : null,
    roles: ["STAFF"],
  };
}

function accessFor(c: Case): RequestAccess {
  const caller = callerFor(c);
  return {
    caller,
    purpose: c.purpose === "a stated purpose" ? PURPOSE : null,
    consents: new Map(
      (CONSENTS[c.consent]?.usccs ?? []).map((u) => [u, [{ uscc: u, consentId: `consent-${u}`, owners: [] }]]),
    ),
    grants: async () => (caller.kind === "organisation" ? (GRANTS[c.grant]?.grants(caller) ?? []) : []),
    now: NOW,
    note: () => {},
  };
}

// ---------------------------------------------------------------- every combination

const cases: (Case & { allowed: boolean })[] = [];
for (const caller of ["ANONYMOUS", ...ORGANISATION_TYPES] as const)
  for (const relation of caller === "ANONYMOUS" ? (["a third party"] as const) : (Object.keys(RELATIONS) as Relation[]))
    for (const cls of SENSITIVITY_CLASSES)
      for (const grant of Object.keys(GRANTS))
        for (const consent of Object.keys(CONSENTS))
          for (const purpose of ["a stated purpose", "no purpose"] as const) {
            const c: Case = { caller, relation, cls, grant, consent, purpose };
            cases.push({ ...c, allowed: expected(c) });
          }

const who = (c: Case) => (c.caller === "ANONYMOUS" ? "an anonymous caller" : `${c.caller} (${c.relation})`);

describe("decide, every organisation type × class × grant × consent × purpose", () => {
  test("the combinations cover every type, class, grant state and consent state", () => {
    expect(new Set(cases.map((c) => c.caller)).size).toBe(ORGANISATION_TYPES.length + 1);
    expect(new Set(cases.map((c) => c.cls)).size).toBe(SENSITIVITY_CLASSES.length);
    expect(new Set(cases.map((c) => c.grant)).size).toBe(Object.keys(GRANTS).length);
    expect(new Set(cases.map((c) => c.consent)).size).toBe(Object.keys(CONSENTS).length);
    expect(cases.some((c) => c.allowed) && cases.some((c) => !c.allowed)).toBe(true);
  });

  test.each(
    cases.map((c) => [
      `when ${who(c)} reads ${c.cls} with ${c.grant}, ${c.consent} and ${c.purpose}, then ${c.allowed ? "allowed" : "denied"}`,
      c,
    ]),
  )("%s", async (_name, c) => {
    const decision = await decide(c.cls, subject, accessFor(c));
    expect(decision.allowed).toBe(c.allowed);
    if (!decision.allowed) expect(decision.reason).toMatch(/\S/);
  });
});

describe("decide, the reasons it gives", () => {
  const base: Case = {
    caller: "FINANCIAL",
    relation: "a third party",
    cls: "CONSENT",
    grant: "a live SHARED and CONSENT grant to it by id",
    consent: "live consent",
    purpose: "a stated purpose",
  };
  const reason = async (c: Partial<Case>) => {
    const decision = await decide(c.cls ?? base.cls, subject, accessFor({ ...base, ...c }));
    return decision.allowed ? "allowed" : decision.reason;
  };

  test("when nobody signs in, then it asks to sign in", async () => {
    expect(await reason({ caller: "ANONYMOUS" })).toMatch(/Sign in/);
  });
  test("when a third party reads INTERNAL data, then only the keeper sees it", async () => {
    expect(await reason({ cls: "INTERNAL" })).toMatch(/Only the organisation that keeps this data/);
  });
  test("when a third party reads MEMBER data, then only the keeper and the enterprise see it", async () => {
    expect(await reason({ cls: "MEMBER" })).toMatch(/and the enterprise itself/);
  });
  test("when no purpose is stated, then it asks for one", async () => {
    expect(await reason({ purpose: "no purpose" })).toMatch(/State your purpose/);
  });
  test("when no grant covers the class, then it says the owner has not granted it", async () => {
    expect(await reason({ grant: "a revoked grant" })).toMatch(/has not granted you CONSENT access/);
  });
  test("when the grant is for another purpose, then it names the purpose", async () => {
    expect(await reason({ grant: "a grant for another purpose only" })).toMatch(
      /does not cover the purpose LOAN_APPROVAL/,
    );
  });
  test("when the enterprise has not consented, then it says so", async () => {
    expect(await reason({ consent: "no consent" })).toMatch(/has not given you consent for LOAN_APPROVAL/);
  });
});
