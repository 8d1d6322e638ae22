import { beforeAll, describe, expect, it } from "vitest";
import { purgeExpiredRecords } from "../subgraphs/associations/retention.ts";
import { verifyOwnerAudit } from "../subgraphs/sdk/audit.ts";
import { auditLogOf } from "../subgraphs/sdk/owner.ts";
import { associationsDb, newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { bankWithGrant, memberWithRecord, ok } from "./support/scenes.ts";

/**
 * The enterprise's rights over its file, on an injected clock: objections and
 * the owner's 20 days, statements, and the five-year retention of negative records.
 */

const DAY = 86_400_000;
const PURPOSE = "LOAN_APPROVAL";
let clock = Date.parse("2026-03-01T09:00:00Z");
const now = () => new Date(clock);

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub({ now });
});

async function scene(
  record: { occurredOn: string; endedOn: string | null } = { occurredOn: "2025-06-01", endedOn: "2025-09-30" },
) {
  const member = await memberWithRecord(t, { record });
  const enterprise = await t.organisation("ENTERPRISE", { uscc: member.uscc });
  return { ...member, enterprise, bank: await bankWithGrant(t, member.association.key, ["SHARED"]) };
}

const AS_BANK = /* GraphQL */ `
  query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { id disputed statement category status } } }
`;

async function bankSees(s: Awaited<ReturnType<typeof scene>>) {
  const r = await t.query<{ enterprise: { creditRecords: Record<string, unknown>[] } }>(
    AS_BANK,
    { u: s.uscc },
    {
      apiKey: s.bank.key,
      purpose: PURPOSE,
    },
  );
  expect(r.errors).toBeUndefined();
  return r.data?.enterprise.creditRecords ?? [];
}

const OBJECT = /* GraphQL */ `
  mutation ($id: ID!, $reason: String!) { objectToCreditRecord(recordId: $id, reason: $reason) { id status dueAt overdue } }
`;
const ANSWER = /* GraphQL */ `
  mutation ($i: AnswerObjectionInput!) { answerObjection(input: $i) { status answer answeredAt overdue } }
`;
const OVERDUE = /* GraphQL */ `{ objections(overdueOnly: true) { id overdue } }`;

describe("objections", () => {
  it("when an enterprise objects, then the record is disputed at once for every consumer, and due 20 days later", async () => {
    const s = await scene();
    const { objectToCreditRecord } = await ok<{
      objectToCreditRecord: { id: string; status: string; dueAt: string; overdue: boolean };
    }>(t, OBJECT, { id: s.recordId, reason: "货款已于期限内支付，有银行回单为证" }, s.enterprise.key);
    expect(objectToCreditRecord).toEqual({
      id: expect.any(String),
      status: "OPEN",
      dueAt: new Date(clock + 20 * DAY).toISOString(),
      overdue: false,
    });
    expect(await bankSees(s)).toEqual([
      { id: s.recordId, disputed: true, statement: null, category: "PAYMENT", status: "ACTIVE" },
    ]);
    const again = await t.query(OBJECT, { id: s.recordId, reason: "again" }, { apiKey: s.enterprise.key });
    expect(again.errors?.[0]?.message).toMatch(/already open/);
  });

  it("when the owner lets 20 days pass, then the objection is listed as overdue; answered late, it stays on record as late", async () => {
    const s = await scene();
    const filed = await ok<{ objectToCreditRecord: { id: string } }>(
      t,
      OBJECT,
      { id: s.recordId, reason: "金额有误" },
      s.enterprise.key,
    );
    const id = filed.objectToCreditRecord.id;
    clock += 19 * DAY;
    expect((await ok<{ objections: unknown[] }>(t, OVERDUE, {}, s.association.key)).objections).toEqual([]);
    clock += 2 * DAY;
    expect((await ok<{ objections: unknown[] }>(t, OVERDUE, {}, s.association.key)).objections).toEqual([
      { id, overdue: true },
    ]);
    // The enterprise sees its own overdue objection too.
    expect((await ok<{ objections: unknown[] }>(t, OVERDUE, {}, s.enterprise.key)).objections).toEqual([
      { id, overdue: true },
    ]);

    const answered = await ok<{ answerObjection: Record<string, unknown> }>(
      t,
      ANSWER,
      {
        i: { objectionId: id, outcome: "CORRECTED", reason: "核实后更正金额", changes: { summary: "逾期付款 30 天" } },
      },
      s.association.key,
    );
    expect(answered.answerObjection).toEqual({
      status: "CORRECTED",
      answer: "核实后更正金额",
      answeredAt: now().toISOString(),
      overdue: false,
    });
    expect(await bankSees(s)).toEqual([
      { id: s.recordId, disputed: false, statement: null, category: "PAYMENT", status: "ACTIVE" },
    ]);
    const history = await ok<{ creditRecord: { summary: string; version: number } }>(
      t,
      `query ($id: ID!) { creditRecord(id: $id) { summary version } }`,
      { id: s.recordId },
      s.association.key,
    );
    expect(history.creditRecord).toEqual({ summary: "逾期付款 30 天", version: 2 });
    expect((await ok<{ objections: unknown[] }>(t, OVERDUE, {}, s.association.key)).objections).toEqual([]);
    const entries = await associationsDb(t).auditEntry.findMany({
      where: { uscc: s.uscc, action: { in: ["OBJECTION", "ANSWER"] } },
      orderBy: { seq: "asc" },
    });
    expect(entries.map((e) => [e.action, (e.detail as { late?: boolean }).late ?? null])).toEqual([
      ["OBJECTION", null],
      ["ANSWER", true],
    ]);
  });

  it("when the owner removes the record, then consumers see it no more; when it upholds it, the dispute mark goes", async () => {
    const removed = await scene();
    const a = await ok<{ objectToCreditRecord: { id: string } }>(
      t,
      OBJECT,
      { id: removed.recordId, reason: "非本企业行为" },
      removed.enterprise.key,
    );
    await ok(
      t,
      ANSWER,
      { i: { objectionId: a.objectToCreditRecord.id, outcome: "REMOVED", reason: "确系误录" } },
      removed.association.key,
    );
    expect(await bankSees(removed)).toEqual([]);

    const upheld = await scene();
    const b = await ok<{ objectToCreditRecord: { id: string } }>(
      t,
      OBJECT,
      { id: upheld.recordId, reason: "不认可" },
      upheld.enterprise.key,
    );
    await ok(
      t,
      ANSWER,
      { i: { objectionId: b.objectToCreditRecord.id, outcome: "UPHELD", reason: "证据充分，维持原记录" } },
      upheld.association.key,
    );
    expect(await bankSees(upheld)).toEqual([
      { id: upheld.recordId, disputed: false, statement: null, category: "PAYMENT", status: "ACTIVE" },
    ]);
  });

  it("when someone other than the enterprise objects, or another association answers, then neither goes through", async () => {
    const s = await scene();
    const byBank = await t.query(OBJECT, { id: s.recordId, reason: "x" }, { apiKey: s.bank.key });
    expect(byBank.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const stranger = await t.organisation("ENTERPRISE", { uscc: newUscc() });
    const byStranger = await t.query(OBJECT, { id: s.recordId, reason: "x" }, { apiKey: stranger.key });
    expect(byStranger.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const filed = await ok<{ objectToCreditRecord: { id: string } }>(
      t,
      OBJECT,
      { id: s.recordId, reason: "y" },
      s.enterprise.key,
    );
    const rival = await t.organisation("ASSOCIATION");
    const byRival = await t.query(
      ANSWER,
      { i: { objectionId: filed.objectToCreditRecord.id, outcome: "REMOVED", reason: "z" } },
      { apiKey: rival.key },
    );
    expect(byRival.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await bankSees(s)).toEqual([
      { id: s.recordId, disputed: true, statement: null, category: "PAYMENT", status: "ACTIVE" },
    ]);
  });
});

describe("the enterprise's statement", () => {
  it("when the enterprise attaches a statement to a negative record, then consumers see it with the record", async () => {
    const s = await scene();
    await ok(
      t,
      `mutation ($id: ID!, $s: String!) { attachStatement(recordId: $id, statement: $s) { statement } }`,
      { id: s.recordId, s: "因疫情停工导致延迟付款，已全额结清" },
      s.enterprise.key,
    );
    expect(await bankSees(s)).toEqual([
      {
        id: s.recordId,
        disputed: false,
        statement: "因疫情停工导致延迟付款，已全额结清",
        category: "PAYMENT",
        status: "ACTIVE",
      },
    ]);
  });
});

describe("retention", () => {
  it("when five years have passed since the behaviour ended, then the record is no longer shared, and the purge is audited", async () => {
    const s = await scene({ occurredOn: "2020-01-10", endedOn: "2021-03-31" });
    const ongoing = await scene({ occurredOn: "2020-01-10", endedOn: null });
    clock = Date.parse("2026-03-30T12:00:00Z");
    expect(await bankSees(s)).toHaveLength(1);
    clock = Date.parse("2026-04-01T12:00:00Z");
    expect(await bankSees(s)).toEqual([]);
    expect(await bankSees(ongoing)).toHaveLength(1);
    const byId = await t.query(
      `query ($id: ID!) { creditRecord(id: $id) { id } }`,
      { id: s.recordId },
      {
        apiKey: s.bank.key,
        purpose: PURPOSE,
      },
    );
    expect(byId.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const own = await ok<{ enterprise: { creditRecords: unknown[] } }>(
      t,
      `query ($u: USCC!) { enterprise(uscc: $u) { creditRecords { id } } }`,
      { u: s.uscc },
      s.association.key,
    );
    expect(own.enterprise.creditRecords).toEqual([{ id: s.recordId }]);

    const db = associationsDb(t);
    expect(await purgeExpiredRecords(db, now())).toBeGreaterThanOrEqual(1);
    expect(await db.creditRecord.findUnique({ where: { id: s.recordId } })).toBeNull();
    expect(await db.creditRecord.findUnique({ where: { id: ongoing.recordId } })).not.toBeNull();
    const purge = await db.auditEntry.findFirst({ where: { action: "PURGE", uscc: s.uscc } });
    expect(purge?.detail).toMatchObject({ purged: s.recordId, endedOn: "2021-03-31" });
    const verified = await verifyOwnerAudit(auditLogOf(db), t.hub.subgraphs.associations?.auditPublicJwk ?? {});
    expect(verified.ok).toBe(true);
  });
});
