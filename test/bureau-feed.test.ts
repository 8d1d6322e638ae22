import { importJWK, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { syncBureau } from "../hub/bureau-sync.ts";
import type { GraphQLResponse } from "../hub/client.ts";
import { associationsDb, sharedTestHub, type TestHub } from "./support/hub.ts";
import { grant, memberWithRecord, ok } from "./support/scenes.ts";

/** The bureau feed: every change to records shared with the bureau, exactly once, in commit order. */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const FEED = /* GraphQL */ `
  query ($after: String, $first: Int) {
    sharedRecordChanges(after: $after, first: $first) {
      changes { cursor kind recordId record { polarity summary owner { id } } }
      endCursor
      hasMore
    }
  }
`;

type Page = {
  sharedRecordChanges: {
    changes: {
      cursor: string;
      kind: string;
      recordId: string;
      record: { polarity: string | null; summary: string | null; owner: { id: string } | null } | null;
    }[];
    endCursor: string | null;
    hasMore: boolean;
  };
};

const RECORD = `mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }`;

describe("sharedRecordChanges", () => {
  it("when writes continue while a bureau pages through, then it sees every shared change exactly once and nothing else", async () => {
    const shared = await memberWithRecord(t);
    const other = await memberWithRecord(t);
    const bureau = await t.organisation("BUREAU");
    await grant(t, shared.association.key, {
      consumerOrganisationId: bureau.id,
      classes: ["SHARED"],
      purposes: ["CREDIT_REPORTING"],
    });

    let writing = true;
    const event = (uscc: string, n: number) => ({
      i: {
        uscc,
        polarity: "NEGATIVE",
        category: "PAYMENT",
        summary: `#${n}`,
        source: "feed test",
        occurredOn: "2024-02-02",
      },
    });
    const writers = (async () => {
      const jobs: Promise<unknown>[] = [];
      for (let n = 0; n < 24; n++) {
        jobs.push(ok(t, RECORD, event(shared.uscc, n), shared.association.key));
        if (n % 2 === 0) jobs.push(ok(t, RECORD, event(other.uscc, n), other.association.key));
        if (n % 6 === 5) await Promise.all(jobs.splice(0));
      }
      await Promise.all(jobs);
      writing = false;
    })();

    const seen: Page["sharedRecordChanges"]["changes"] = [];
    let after: string | null = null;
    for (;;) {
      const r: GraphQLResponse<Page> = await t.query<Page>(
        FEED,
        { after, first: 4 },
        { apiKey: bureau.key, purpose: "CREDIT_REPORTING" },
      );
      const page: Page["sharedRecordChanges"] | undefined = r.data?.sharedRecordChanges;
      if (!page) throw new Error(JSON.stringify(r.errors));
      seen.push(...page.changes);
      after = page.endCursor;
      if (!page.hasMore && !writing) {
        const tail = await t.query<Page>(
          FEED,
          { after, first: 500 },
          { apiKey: bureau.key, purpose: "CREDIT_REPORTING" },
        );
        seen.push(...(tail.data?.sharedRecordChanges.changes ?? []));
        break;
      }
    }
    await writers;

    const truth = await associationsDb(t).recordChange.findMany({
      where: { ownerId: shared.association.id },
      orderBy: { seq: "asc" },
    });
    expect(seen.map((c) => c.cursor)).toEqual(truth.map((c) => c.seq.toString()));
    expect(truth).toHaveLength(25);
    expect(new Set(seen.map((c) => c.record?.owner?.id))).toEqual(new Set([shared.association.id]));
    expect(seen.every((c) => c.record?.polarity === "NEGATIVE" && c.record.summary === null)).toBe(true);
  });

  it("when a record is corrected, disputed and answered, then the feed tells each change in order", async () => {
    const s = await memberWithRecord(t);
    const enterprise = await t.organisation("ENTERPRISE", { uscc: s.uscc });
    const bureau = await t.organisation("BUREAU");
    await grant(t, s.association.key, {
      consumerOrganisationId: bureau.id,
      classes: ["SHARED"],
      purposes: ["CREDIT_REPORTING"],
    });
    await ok(
      t,
      `mutation ($i: CorrectCreditRecordInput!) { correctCreditRecord(input: $i) { id } }`,
      {
        i: { id: s.recordId, reason: "更正", changes: { summary: "逾期 60 天" } },
      },
      s.association.key,
    );
    const filed = await ok<{ objectToCreditRecord: { id: string } }>(
      t,
      `mutation ($id: ID!) { objectToCreditRecord(recordId: $id, reason: "不认可") { id } }`,
      { id: s.recordId },
      enterprise.key,
    );
    await ok(
      t,
      `mutation ($i: AnswerObjectionInput!) { answerObjection(input: $i) { status } }`,
      {
        i: { objectionId: filed.objectToCreditRecord.id, outcome: "REMOVED", reason: "撤销" },
      },
      s.association.key,
    );
    const r = await t.query<Page>(FEED, { first: 50 }, { apiKey: bureau.key, purpose: "CREDIT_REPORTING" });
    expect(r.data?.sharedRecordChanges.changes.filter((c) => c.recordId === s.recordId).map((c) => c.kind)).toEqual([
      "NEW",
      "CORRECTED",
      "DISPUTED",
      "RETRACTED",
      "RESOLVED",
    ]);
  });

  it("when the caller is not a bureau, states no purpose, or holds no grant, then it gets nothing", async () => {
    const bank = await t.organisation("FINANCIAL");
    expect(
      (await t.query(FEED, {}, { apiKey: bank.key, purpose: "CREDIT_REPORTING" })).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    const bureau = await t.organisation("BUREAU");
    expect((await t.query(FEED, {}, { apiKey: bureau.key })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const lonely = await t.query(FEED, {}, { apiKey: bureau.key, purpose: "CREDIT_REPORTING" });
    expect(lonely.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(lonely.data?.sharedRecordChanges ?? null).toBeNull();
  });
});

describe("a bureau's copy of shared records", () => {
  const RECEIVED = /* GraphQL */ `
    query ($u: USCC!) {
      enterprise(uscc: $u) {
        receivedRecords { sourceOwner { id } sourceRecordId lastChange polarity category disputed status signed }
      }
    }
  `;
  type Received = {
    enterprise: {
      receivedRecords: {
        sourceOwner: { id: string };
        sourceRecordId: string;
        lastChange: string;
        polarity: string;
        category: string;
        disputed: boolean;
        signed: string;
      }[];
    };
  };

  async function sharedWithBureau() {
    const s = await memberWithRecord(t);
    const bureau = await t.organisation("BUREAU");
    await grant(t, s.association.key, {
      consumerOrganisationId: bureau.id,
      classes: ["SHARED"],
      purposes: ["CREDIT_REPORTING"],
    });
    return { ...s, bureau };
  }

  it("when a bureau syncs, then it keeps each shared record as the association signed it, later changes update it, and a rerun changes nothing", async () => {
    const s = await sharedWithBureau();
    const first = await syncBureau(t.url, s.bureau.key);
    expect(first.applied).toBeGreaterThanOrEqual(1);
    const asBureau = { apiKey: s.bureau.key };
    const kept = await t.query<Received>(RECEIVED, { u: s.uscc }, asBureau);
    expect(kept.data?.enterprise.receivedRecords).toMatchObject([
      {
        sourceOwner: { id: s.association.id },
        sourceRecordId: s.recordId,
        lastChange: "NEW",
        polarity: "NEGATIVE",
        category: "PAYMENT",
        disputed: false,
      },
    ]);

    // Anyone holding the associations' public key can check what the bureau keeps against its source.
    const { associationsAuditPublicKey } = await ok<{ associationsAuditPublicKey: string }>(
      t,
      `{ associationsAuditPublicKey }`,
      {},
      s.bureau.key,
    );
    const key = await importJWK({ ...JSON.parse(associationsAuditPublicKey), alg: "EdDSA" }, "EdDSA");
    const { payload } = await jwtVerify(kept.data?.enterprise.receivedRecords[0]?.signed ?? "", key, {
      issuer: "associations",
      audience: s.bureau.id,
    });
    expect(payload).toMatchObject({ recordId: s.recordId, owner: s.association.id, uscc: s.uscc });

    await ok(
      t,
      `mutation ($i: CorrectCreditRecordInput!) { correctCreditRecord(input: $i) { id } }`,
      { i: { id: s.recordId, reason: "类别更正", changes: { category: "CONTRACT_BREACH" } } },
      s.association.key,
    );
    expect((await syncBureau(t.url, s.bureau.key)).applied).toBe(1);
    const updated = await t.query<Received>(RECEIVED, { u: s.uscc }, asBureau);
    expect(updated.data?.enterprise.receivedRecords).toMatchObject([
      { lastChange: "CORRECTED", category: "CONTRACT_BREACH" },
    ]);
    expect(await syncBureau(t.url, s.bureau.key)).toMatchObject({ applied: 0, pages: 0 });
  });

  it("when a signed entry was released to another bureau or altered, then the import refuses it and stores nothing", async () => {
    const s = await sharedWithBureau();
    const page = await t.query<{ sharedRecordChanges: { changes: { signed: string }[] } }>(
      `query { sharedRecordChanges(first: 500) { changes { signed recordId } } }`,
      {},
      { apiKey: s.bureau.key, purpose: "CREDIT_REPORTING" },
    );
    const mine = page.data?.sharedRecordChanges.changes.map((c) => c.signed) ?? [];
    expect(mine.length).toBeGreaterThan(0);
    const IMPORT = `mutation ($s: [String!]!) { importSharedRecords(signed: $s) { applied } }`;

    const other = await t.organisation("BUREAU");
    const stolen = await t.query(IMPORT, { s: mine }, { apiKey: other.key });
    expect(stolen.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(stolen.errors?.[0]?.message).toMatch(/released to another organisation/);

    const [header, body, signature] = (mine[0] as string).split(".");
    const payload = JSON.parse(Buffer.from(body as string, "base64url").toString());
    payload.record.polarity = "POSITIVE";
    const forged = [header, Buffer.from(JSON.stringify(payload)).toString("base64url"), signature].join(".");
    const tampered = await t.query(IMPORT, { s: [...mine, forged] }, { apiKey: s.bureau.key });
    expect(tampered.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tampered.errors?.[0]?.message).toMatch(new RegExp(`signed\\[${mine.length}\\]`));

    const kept = await t.query<Received>(RECEIVED, { u: s.uscc }, { apiKey: s.bureau.key });
    expect(kept.data?.enterprise.receivedRecords).toEqual([]);
  });
});
