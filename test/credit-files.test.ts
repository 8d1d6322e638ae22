import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";

/**
 * The foundation through the real gateway: anonymous lookups, USCC validation,
 * an association keeping its members' files, and owners' writes only.
 */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const ENTERPRISE = /* GraphQL */ `
  query ($uscc: USCC!) {
    enterprise(uscc: $uscc) {
      uscc
      name
    }
  }
`;

const FILE = /* GraphQL */ `
  query ($uscc: USCC!) {
    enterprise(uscc: $uscc) {
      uscc
      memberships { status joinedOn leftOn endReason association { id name } }
      creditRecords(includeRetracted: true) {
        id polarity category summary source occurredOn endedOn evidenceRef status version
        owner { id }
      }
      tradingPartnerReports { indicator assessment reporter { uscc } }
    }
  }
`;

/** Stands for an enterprise the directory knows but the association never admitted (registered in the test). */
const NON_MEMBER = "registered non-member";

async function registerEnterprise(key: string, name = "测试企业有限公司") {
  const uscc = newUscc();
  const r = await t.query(
    /* GraphQL */ `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc name } }`,
    { input: { uscc, name } },
    { apiKey: key },
  );
  expect(r.errors).toBeUndefined();
  return uscc;
}

async function admit(key: string, uscc: string, joinedOn = "2023-01-10") {
  const r = await t.query(
    /* GraphQL */ `mutation ($input: AdmitMemberInput!) { admitMember(input: $input) { id status } }`,
    { input: { uscc, joinedOn } },
    { apiKey: key },
  );
  expect(r.errors).toBeUndefined();
}

const RECORD = /* GraphQL */ `
  mutation ($input: RecordCreditEventInput!) {
    recordCreditEvent(input: $input) { id version status }
  }
`;

function negativeEvent(uscc: string, extra: Record<string, unknown> = {}) {
  return {
    uscc,
    polarity: "NEGATIVE",
    category: "PAYMENT",
    summary: "拖欠货款逾期 90 天",
    source: "会员投诉核实记录",
    occurredOn: "2024-03-01",
    endedOn: "2024-06-30",
    evidenceRef: "TS-2024-017",
    ...extra,
  };
}

describe("looking up an enterprise", () => {
  it("when anyone asks by USCC, then the code and the registered name come back without a key", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = await registerEnterprise(association.key, "杭州测试五金有限公司");
    const r = await t.query(ENTERPRISE, { uscc });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ enterprise: { uscc, name: "杭州测试五金有限公司" } });
  });

  it("when the code is typed in lower case, then it is found under its canonical form", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = await registerEnterprise(association.key);
    const r = await t.query(ENTERPRISE, { uscc: uscc.toLowerCase() });
    expect((r.data as { enterprise: { uscc: string } }).enterprise.uscc).toBe(uscc);
  });

  it("when a valid code is unknown to the hub, then the answer is NOT_FOUND", async () => {
    const r = await t.query(ENTERPRISE, { uscc: newUscc() });
    expect(r.data).toEqual({ enterprise: null });
    expect(r.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it.each([
    ["too short", "91350100M000100Y4", /18 characters; this one has 17/],
    ["too long", "91350100M000100Y433", /18 characters; this one has 19/],
    ["a letter not in the alphabet", "91350100M0I0100Y43", /"I" at position 11/],
    ["a wrong check character", "91350100M000100Y44", /check character \(position 18\) should be "3"/],
  ])("when the code is %s, then BAD_USER_INPUT says what is wrong", async (_kind, uscc, message) => {
    for (const document of [ENTERPRISE, `{ enterprise(uscc: "${uscc}") { uscc name } }`]) {
      const r = await t.query(document, { uscc });
      expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message).toMatch(message);
      expect(r.data?.enterprise ?? null).toBeNull();
    }
  });
});

describe("an association keeping its members' credit files", () => {
  it("when an association admits a member and records events, then it reads back exactly what it wrote", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = await registerEnterprise(association.key);
    await admit(association.key, uscc);
    const positive = await t.query(
      RECORD,
      {
        input: {
          uscc,
          polarity: "POSITIVE",
          category: "AWARD",
          summary: "年度诚信示范企业",
          source: "协会评选决定",
          occurredOn: "2024-12-20",
        },
      },
      { apiKey: association.key },
    );
    expect(positive.errors).toBeUndefined();
    const negative = await t.query(RECORD, { input: negativeEvent(uscc) }, { apiKey: association.key });
    expect(negative.errors).toBeUndefined();
    const partner = await registerEnterprise(association.key);
    const report = await t.query(
      /* GraphQL */ `mutation ($input: ReportTradingPartnerInput!) { reportTradingPartner(input: $input) { id } }`,
      {
        input: {
          reporterUscc: uscc,
          partnerUscc: partner,
          relation: "CUSTOMER",
          indicator: "PAYMENT_PUNCTUALITY",
          assessment: "POOR",
          periodStart: "2024-01-01",
          periodEnd: "2024-06-30",
        },
      },
      { apiKey: association.key },
    );
    expect(report.errors).toBeUndefined();

    const file = await t.query(FILE, { uscc }, { apiKey: association.key });
    expect(file.errors).toBeUndefined();
    const enterprise = (file.data as { enterprise: Record<string, unknown> }).enterprise;
    expect(enterprise.memberships).toEqual([
      {
        status: "ACTIVE",
        joinedOn: "2023-01-10",
        leftOn: null,
        endReason: null,
        association: { id: association.id, name: association.name },
      },
    ]);
    expect(enterprise.creditRecords).toEqual([
      {
        id: expect.any(String),
        polarity: "POSITIVE",
        category: "AWARD",
        summary: "年度诚信示范企业",
        source: "协会评选决定",
        occurredOn: "2024-12-20",
        endedOn: null,
        evidenceRef: null,
        status: "ACTIVE",
        version: 1,
        owner: { id: association.id },
      },
      {
        id: expect.any(String),
        polarity: "NEGATIVE",
        category: "PAYMENT",
        summary: "拖欠货款逾期 90 天",
        source: "会员投诉核实记录",
        occurredOn: "2024-03-01",
        endedOn: "2024-06-30",
        evidenceRef: "TS-2024-017",
        status: "ACTIVE",
        version: 1,
        owner: { id: association.id },
      },
    ]);
    const partnerFile = await t.query(FILE, { uscc: partner }, { apiKey: association.key });
    expect((partnerFile.data as { enterprise: Record<string, unknown> }).enterprise.tradingPartnerReports).toEqual([
      { indicator: "PAYMENT_PUNCTUALITY", assessment: "POOR", reporter: { uscc } },
    ]);
  });

  it("when a record is corrected, then its version rises and the old version is kept with the reason", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = await registerEnterprise(association.key);
    await admit(association.key, uscc);
    const created = await t.query<{ recordCreditEvent: { id: string } }>(
      RECORD,
      { input: negativeEvent(uscc) },
      { apiKey: association.key },
    );
    const id = created.data?.recordCreditEvent.id;
    const CORRECT = /* GraphQL */ `
      mutation ($input: CorrectCreditRecordInput!) {
        correctCreditRecord(input: $input) { summary version endedOn }
      }
    `;
    const corrected = await t.query(
      CORRECT,
      { input: { id, reason: "核实后逾期天数有误", changes: { summary: "拖欠货款逾期 45 天" }, expectedVersion: 1 } },
      { apiKey: association.key },
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data).toEqual({
      correctCreditRecord: { summary: "拖欠货款逾期 45 天", version: 2, endedOn: "2024-06-30" },
    });
    const stale = await t.query(
      CORRECT,
      { input: { id, reason: "again", changes: { summary: "x" }, expectedVersion: 1 } },
      { apiKey: association.key },
    );
    expect(stale.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(stale.errors?.[0]?.message).toMatch(/version 2, not 1/);
    const HISTORY = /* GraphQL */ `query ($id: ID!) { creditRecord(id: $id) { version revisions { version reason previous } } }`;
    const history = await t.query<{
      creditRecord: { revisions: { version: number; reason: string; previous: string }[] };
    }>(HISTORY, { id }, { apiKey: association.key });
    const revisions = history.data?.creditRecord.revisions ?? [];
    expect(revisions.map((r) => [r.version, r.reason])).toEqual([[1, "核实后逾期天数有误"]]);
    expect(JSON.parse(revisions[0]?.previous ?? "{}")).toMatchObject({
      summary: "拖欠货款逾期 90 天",
      endedOn: "2024-06-30T00:00:00.000Z",
    });
  });

  it("when two staff admit the same member at once, then one admission stands and the other is told why", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = newUscc();
    const REGISTER = /* GraphQL */ `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }`;
    const registrations = await Promise.all(
      [1, 2, 3].map(() => t.query(REGISTER, { input: { uscc, name: "并发企业" } }, { apiKey: association.key })),
    );
    expect(registrations.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    const ADMIT = /* GraphQL */ `mutation ($input: AdmitMemberInput!) { admitMember(input: $input) { id } }`;
    const admissions = await Promise.all(
      [1, 2].map(() => t.query(ADMIT, { input: { uscc, joinedOn: "2024-01-01" } }, { apiKey: association.key })),
    );
    expect(admissions.filter((r) => !r.errors)).toHaveLength(1);
    expect(admissions.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("when a membership ends, then it shows as ended with its date and reason", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = await registerEnterprise(association.key);
    await admit(association.key, uscc, "2020-05-01");
    const END = /* GraphQL */ `
      mutation ($input: EndMembershipInput!) { endMembership(input: $input) { status leftOn endReason } }
    `;
    const early = await t.query(
      END,
      { input: { uscc, leftOn: "2020-04-01", reason: "退会" } },
      { apiKey: association.key },
    );
    expect(early.errors?.[0]?.message).toMatch(/before the member joined/);
    const ended = await t.query(
      END,
      { input: { uscc, leftOn: "2024-12-31", reason: "主动退会" } },
      { apiKey: association.key },
    );
    expect(ended.data).toEqual({ endMembership: { status: "ENDED", leftOn: "2024-12-31", endReason: "主动退会" } });
    const again = await t.query(
      END,
      { input: { uscc, leftOn: "2024-12-31", reason: "x" } },
      { apiKey: association.key },
    );
    expect(again.errors?.[0]?.message).toMatch(/already ended on 2024-12-31/);
  });
});

describe("only the owner writes", () => {
  async function ownedRecord() {
    const owner = await t.organisation("ASSOCIATION");
    const uscc = await registerEnterprise(owner.key);
    await admit(owner.key, uscc);
    const created = await t.query<{ recordCreditEvent: { id: string } }>(
      RECORD,
      { input: negativeEvent(uscc) },
      { apiKey: owner.key },
    );
    return { owner, uscc, id: created.data?.recordCreditEvent.id as string };
  }

  async function recordsAsOwner(ownerKey: string, uscc: string) {
    const file = await t.query<{ enterprise: { creditRecords: unknown[] } }>(FILE, { uscc }, { apiKey: ownerKey });
    return file.data?.enterprise.creditRecords;
  }

  it("when another association tries to correct or retract a record, then it is FORBIDDEN and the record is unchanged", async () => {
    const { owner, uscc, id } = await ownedRecord();
    const before = await recordsAsOwner(owner.key, uscc);
    const rival = await t.organisation("ASSOCIATION");
    const correct = await t.query(
      /* GraphQL */ `mutation ($input: CorrectCreditRecordInput!) { correctCreditRecord(input: $input) { id } }`,
      { input: { id, reason: "rival edit", changes: { summary: "篡改" } } },
      { apiKey: rival.key },
    );
    expect(correct.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(correct.data?.correctCreditRecord ?? null).toBeNull();
    const retract = await t.query(
      /* GraphQL */ `mutation { retractCreditRecord(id: "${id}", reason: "rival") { id } }`,
      {},
      { apiKey: rival.key },
    );
    expect(retract.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await recordsAsOwner(owner.key, uscc)).toEqual(before);
  });

  it("when another association without a grant reads the file, then the roster shows but not even that a record exists", async () => {
    const { owner, uscc } = await ownedRecord();
    const rival = await t.organisation("ASSOCIATION");
    const file = await t.query<{
      enterprise: { creditRecords: Record<string, unknown>[]; memberships: Record<string, unknown>[] };
    }>(FILE, { uscc }, { apiKey: rival.key, purpose: "TRADE_PARTNER_REVIEW" });
    expect(file.data?.enterprise.memberships).toEqual([
      {
        status: "ACTIVE",
        joinedOn: "2023-01-10",
        leftOn: null,
        endReason: null,
        association: { id: owner.id, name: owner.name },
      },
    ]);
    expect(file.data?.enterprise.creditRecords).toEqual([]);
    expect((file.errors ?? []).filter((e) => e.path?.includes("creditRecords"))).toEqual([]);
  });

  it.each(["FINANCIAL", "BUREAU", "REGULATOR", "INDUSTRY_BODY"])(
    "when a %s organisation tries to record a credit event, then it is FORBIDDEN",
    async (type) => {
      const { owner, uscc } = await ownedRecord();
      const before = await recordsAsOwner(owner.key, uscc);
      const other = await t.organisation(type);
      const r = await t.query(RECORD, { input: negativeEvent(uscc) }, { apiKey: other.key });
      expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await recordsAsOwner(owner.key, uscc)).toEqual(before);
    },
  );

  it("when nobody signs in, then writing is UNAUTHENTICATED", async () => {
    const { uscc } = await ownedRecord();
    const r = await t.query(RECORD, { input: negativeEvent(uscc) });
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it.each([
    ["an empty summary", { summary: "   " }, /summary must not be empty/],
    ["an end before the start", { occurredOn: "2024-05-01", endedOn: "2024-04-01" }, /endedOn is before occurredOn/],
    ["a date in the future", { occurredOn: "2999-01-01", endedOn: null }, /in the future/],
    ["a date before 1949-10-01", { occurredOn: "1900-01-01", endedOn: null }, /before 1949-10-01/],
    ["a date that does not exist", { occurredOn: "2024-02-30" }, /not a calendar date/],
    ["an invalid code", { uscc: "91350100M000100Y44" }, /check character/],
    // Registered in the directory (a code it does not know is NOT_FOUND, see owner-writes.test.ts), never admitted.
    ["an enterprise that is not a member", { uscc: NON_MEMBER }, /never been a member/],
  ])("when a write has %s, then it is BAD_USER_INPUT and nothing is stored", async (_kind, patch, message) => {
    const { owner, uscc } = await ownedRecord();
    const before = await recordsAsOwner(owner.key, uscc);
    const input =
      "uscc" in patch && patch.uscc === NON_MEMBER
        ? negativeEvent(uscc, { uscc: await registerEnterprise(owner.key) })
        : negativeEvent(uscc, patch);
    const r = await t.query(RECORD, { input }, { apiKey: owner.key });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(message);
    expect(await recordsAsOwner(owner.key, uscc)).toEqual(before);
  });
});
