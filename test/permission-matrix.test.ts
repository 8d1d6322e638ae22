import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";

/**
 * The permission matrix through the real gateway with real keys: every kind of
 * caller × grant none/present/expired/revoked × consent none/present/expired/
 * other purpose. Each cell asserts exactly which fields come back, which are
 * FORBIDDEN, and which are not even there because the caller may not know the
 * row exists (a credit record's existence is SHARED). The domain clock is moved two hours on after set-up, so grants and
 * consents that were made to last one hour have expired (tokens keep real time).
 */

const HOUR = 3_600_000;
let offset = 0;
const now = () => new Date(Date.now() + offset);

const PURPOSE = "LOAN_APPROVAL";
const OTHER_PURPOSE = "POST_LOAN_MONITORING";

/** The fields asked for, by the class they are declared with. */
const FIELDS = {
  PUBLIC: ["memberships.status", "memberships.joinedOn", "memberships.association"],
  MEMBER: ["memberships.level"],
  SHARED: [
    "creditRecords.id",
    "creditRecords.polarity",
    "creditRecords.category",
    "creditRecords.occurredOn",
    "creditRecords.status",
  ],
  CONSENT: ["creditRecords.summary", "creditRecords.source", "creditRecords.evidenceRef"],
  INTERNAL: ["creditRecords.version"],
} as const;
type Class = keyof typeof FIELDS;

const FILE = /* GraphQL */ `
  fragment File on Enterprise {
    uscc
    memberships { status joinedOn association { id } level }
    creditRecords { id polarity category occurredOn status summary source evidenceRef version }
  }
  query ($present: USCC!, $absent: USCC!, $expired: USCC!, $other: USCC!) {
    present: enterprise(uscc: $present) { ...File }
    absent: enterprise(uscc: $absent) { ...File }
    expired: enterprise(uscc: $expired) { ...File }
    other: enterprise(uscc: $other) { ...File }
  }
`;

const CONSENT_STATES = ["present", "absent", "expired", "other"] as const;
type ConsentState = (typeof CONSENT_STATES)[number];
const GRANT_STATES = ["none", "present", "expired", "revoked"] as const;
const CONSUMER_TYPES = ["FINANCIAL", "BUREAU", "REGULATOR", "INDUSTRY_BODY", "ASSOCIATION"] as const;

let t: TestHub;
let owner: { id: string; key: string };
const enterprises = {} as Record<ConsentState, { uscc: string; key: string; id: string }>;
const consumers = new Map<string, { id: string; key: string }>();

beforeAll(async () => {
  t = await sharedTestHub({ now });
  owner = await t.organisation("ASSOCIATION");
  for (const state of CONSENT_STATES) {
    const uscc = newUscc();
    const org = await t.organisation("ENTERPRISE", { uscc });
    enterprises[state] = { uscc, key: org.key, id: org.id };
    await ok(
      `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
      { i: { uscc, name: `矩阵企业 ${state}` } },
      owner.key,
    );
    await ok(
      `mutation ($i: AdmitMemberInput!) { admitMember(input: $i) { id } }`,
      { i: { uscc, joinedOn: "2022-02-02", level: "理事单位" } },
      owner.key,
    );
    await ok(
      `mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }`,
      {
        i: {
          uscc,
          polarity: "NEGATIVE",
          category: "PAYMENT",
          summary: "逾期付款",
          source: "会员投诉",
          occurredOn: "2024-01-05",
          endedOn: "2024-03-01",
          evidenceRef: "EV-1",
        },
      },
      owner.key,
    );
  }
  for (const type of CONSUMER_TYPES) {
    for (const grant of GRANT_STATES) {
      const consumer = await t.organisation(type);
      consumers.set(`${type}/${grant}`, consumer);
      if (grant !== "none") {
        const validUntil = new Date(now().getTime() + (grant === "expired" ? 1 : 24 * 30) * HOUR).toISOString();
        const created = await ok<{ grantAssociationAccess: { id: string } }>(
          `mutation ($i: GrantAssociationAccessInput!) { grantAssociationAccess(input: $i) { id } }`,
          {
            i: { consumerOrganisationId: consumer.id, classes: ["SHARED", "CONSENT"], purposes: [PURPOSE], validUntil },
          },
          owner.key,
        );
        if (grant === "revoked")
          await ok(
            `mutation ($id: ID!) { revokeAssociationAccess(id: $id) { revokedAt } }`,
            { id: created.grantAssociationAccess.id },
            owner.key,
          );
      }
      const consents: [ConsentState, string, number][] = [
        ["present", PURPOSE, 24 * 30],
        ["expired", PURPOSE, 1],
        ["other", OTHER_PURPOSE, 24 * 30],
      ];
      for (const [state, purpose, hours] of consents) {
        await ok(
          `mutation ($i: GiveConsentInput!) { giveConsent(input: $i) { id } }`,
          {
            i: { consumerId: consumer.id, purpose, expiresAt: new Date(now().getTime() + hours * HOUR).toISOString() },
          },
          enterprises[state].key,
        );
      }
    }
  }
  offset = 2 * HOUR;
});

async function ok<T = Record<string, unknown>>(document: string, variables: Record<string, unknown>, apiKey: string) {
  const r = await t.query<T>(document, variables, { apiKey });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data as T;
}

function variables() {
  return Object.fromEntries(CONSENT_STATES.map((s) => [s, enterprises[s].uscc]));
}

/** For one enterprise in the answer: which declared fields came back with a value, which were FORBIDDEN, and which had no row to be on. */
function observe(result: Awaited<ReturnType<TestHub["query"]>>, alias: ConsentState) {
  const enterprise = (result.data as Record<string, Record<string, Record<string, unknown>[]>>)[alias];
  const shown = new Set<string>();
  const forbidden = new Set<string>();
  const hidden = new Set<string>();
  for (const path of Object.values(FIELDS).flat()) {
    const [list, field] = path.split(".") as [string, string];
    if (enterprise?.[list]?.length === 0) hidden.add(path);
    if (enterprise?.[list]?.[0]?.[field] != null) shown.add(path);
  }
  for (const error of result.errors ?? []) {
    const [at, list, index, field] = error.path ?? [];
    if (at !== alias || index !== 0) continue;
    expect(error.extensions?.code, JSON.stringify(error)).toBe("FORBIDDEN");
    forbidden.add(`${list}.${field}`);
  }
  return { shown: [...shown].sort(), forbidden: [...forbidden].sort(), hidden: [...hidden].sort() };
}

function expectExactly(observed: ReturnType<typeof observe>, visible: Class[]) {
  const all = Object.keys(FIELDS) as Class[];
  const fields = (classes: Class[]) => classes.flatMap((c) => FIELDS[c] as readonly string[]).sort();
  // Without SHARED the caller may not know a record exists: no record comes back, so none of its fields is refused.
  const onRecord = (path: string) => path.startsWith("creditRecords.");
  const unseen = fields(all.filter((c) => !visible.includes(c)));
  const rowsHidden = !visible.includes("SHARED");
  expect(observed).toEqual({
    shown: fields(visible),
    forbidden: rowsHidden ? unseen.filter((p) => !onRecord(p)) : unseen,
    hidden: rowsHidden ? fields(all).filter(onRecord) : [],
  });
}

describe.each(CONSUMER_TYPES)("a %s organisation asking with purpose LOAN_APPROVAL", (type) => {
  describe.each(GRANT_STATES)("when the owner's grant is %s", (grant) => {
    it.each(CONSENT_STATES)(
      "and the enterprise's consent is %s, then exactly the entitled classes come back",
      async (consent) => {
        const consumer = consumers.get(`${type}/${grant}`) as { key: string };
        const result = await t.query(FILE, variables(), { apiKey: consumer.key, purpose: PURPOSE });
        const granted = grant === "present";
        const consented = consent === "present";
        const visible: Class[] = ["PUBLIC"];
        if (granted) visible.push("SHARED");
        if (granted && consented) visible.push("CONSENT");
        expectExactly(observe(result, consent), visible);
      },
    );
  });
});

describe("callers outside the grant and consent cells", () => {
  it("when the owning association asks, then it sees every class, INTERNAL included", async () => {
    const result = await t.query(FILE, variables(), { apiKey: owner.key });
    for (const state of CONSENT_STATES)
      expectExactly(observe(result, state), ["PUBLIC", "MEMBER", "SHARED", "CONSENT", "INTERNAL"]);
  });

  it("when an enterprise asks, then its own file is shown in full but INTERNAL, and other files only in public", async () => {
    const result = await t.query(FILE, variables(), { apiKey: enterprises.present.key });
    expectExactly(observe(result, "present"), ["PUBLIC", "MEMBER", "SHARED", "CONSENT"]);
    for (const state of ["absent", "expired", "other"] as const) expectExactly(observe(result, state), ["PUBLIC"]);
  });

  it("when nobody signs in, then only PUBLIC fields come back", async () => {
    const result = await t.query(FILE, variables());
    for (const state of CONSENT_STATES) expectExactly(observe(result, state), ["PUBLIC"]);
  });

  it("when the hub operator asks, then it too sees only PUBLIC fields", async () => {
    const result = await t.query(FILE, variables(), { apiKey: t.operatorKey, purpose: PURPOSE });
    for (const state of CONSENT_STATES) expectExactly(observe(result, state), ["PUBLIC"]);
  });

  // Neither answer may say why records are withheld: that there is something to withhold is itself SHARED.
  it("when a granted and consented bank states no purpose, then nothing beyond PUBLIC comes back, records not even shown to exist", async () => {
    const consumer = consumers.get("FINANCIAL/present") as { key: string };
    const result = await t.query(FILE, variables(), { apiKey: consumer.key });
    expectExactly(observe(result, "present"), ["PUBLIC"]);
  });

  it("when a granted bank states a purpose its grant does not cover, then it sees only PUBLIC, records not even shown to exist", async () => {
    const consumer = consumers.get("FINANCIAL/present") as { key: string };
    const result = await t.query(FILE, variables(), { apiKey: consumer.key, purpose: OTHER_PURPOSE });
    expectExactly(observe(result, "other"), ["PUBLIC"]);
  });
});
