import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { admit, EVALUATE, evaluatingAssociation, evaluation, giveConsent, grant, ok } from "./support/scenes.ts";

/** Self-discipline: conventions, sanctions, joint punishment, and the red, black and watch lists. */

let clock = Date.parse("2026-03-01T09:00:00Z");
let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub({ now: () => new Date(clock) });
});

const IMPOSE = /* GraphQL */ `
  mutation ($i: ImposeSanctionInput!) { imposeSanction(input: $i) { id level status sharedRecord { id category } } }
`;
const FEED = /* GraphQL */ `
  query { sharedRecordChanges(first: 500) { changes { kind recordId record { category status } enterprise { uscc } } } }
`;
const STANDING = /* GraphQL */ `
  query ($u: USCC!) {
    standing(uscc: $u, purpose: LOAN_APPROVAL) {
      evaluation { grade }
      associations { negativeRecords sanctions { level reason } lists { list } }
      concerns { code messageEn }
      goodStanding
    }
  }
`;

/** An evaluating association with a convention, a member with a valid evaluation, a bureau and a bank holding grants, and the member's consent. */
async function scene() {
  const { association, methodologyId } = await evaluatingAssociation(t);
  await ok(
    t,
    `mutation { publishConvention(input: { title: "行业自律公约", text: "第一条 诚信经营……", adoptedOn: "2025-12-01" }) { version } }`,
    {},
    association.key,
  );
  const uscc = newUscc();
  await admit(t, association.key, uscc);
  await ok(t, EVALUATE, evaluation(uscc, methodologyId, 90, 90), association.key);
  const bureau = await t.organisation("BUREAU");
  await grant(t, association.key, {
    consumerOrganisationId: bureau.id,
    classes: ["SHARED"],
    purposes: ["CREDIT_REPORTING"],
  });
  const bank = await t.organisation("FINANCIAL");
  await grant(t, association.key, { consumerOrganisationId: bank.id });
  const enterprise = await t.organisation("ENTERPRISE", { uscc });
  await giveConsent(t, enterprise.key, bank.id);
  return { association, uscc, bureau, bank, enterprise };
}

type Feed = {
  sharedRecordChanges: {
    changes: {
      kind: string;
      recordId: string;
      record: { category: string; status: string } | null;
      enterprise: { uscc: string };
    }[];
  };
};
type Standing = {
  standing: {
    evaluation: { grade: string } | null;
    associations: {
      negativeRecords: number;
      sanctions: { level: string; reason: string }[];
      lists: { list: string }[];
    }[];
    concerns: { code: string; messageEn: string }[];
    goodStanding: boolean | null;
  };
};

const feedOf = async (s: Awaited<ReturnType<typeof scene>>) =>
  (
    (await t.query<Feed>(FEED, {}, { apiKey: s.bureau.key, purpose: "CREDIT_REPORTING" })).data?.sharedRecordChanges
      .changes ?? []
  ).filter((c) => c.enterprise.uscc === s.uscc);
const standingOf = async (s: Awaited<ReturnType<typeof scene>>) => {
  const r = await t.query<Standing>(STANDING, { u: s.uscc }, { apiKey: s.bank.key, purpose: "LOAN_APPROVAL" });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data?.standing as Standing["standing"];
};

describe("joint punishment", () => {
  it("when an association publicly condemns a member, then the granted bureau's feed and the bank's standing show it with no further step, and the evaluation is void", async () => {
    const s = await scene();
    expect((await standingOf(s)).evaluation).toEqual({ grade: "AAA" });
    const { imposeSanction } = await ok<{
      imposeSanction: { id: string; sharedRecord: { id: string; category: string } };
    }>(
      t,
      IMPOSE,
      {
        i: {
          uscc: s.uscc,
          level: "PUBLIC_CONDEMNATION",
          reason: "串通投标",
          decidedOn: "2026-02-20",
          clause: "第五条",
        },
      },
      s.association.key,
    );
    expect(imposeSanction.sharedRecord.category).toBe("SELF_DISCIPLINE");

    expect((await feedOf(s)).map((c) => [c.kind, c.recordId, c.record?.category])).toEqual([
      ["NEW", imposeSanction.sharedRecord.id, "SELF_DISCIPLINE"],
    ]);
    const standing = await standingOf(s);
    expect(standing).toMatchObject({
      evaluation: null,
      associations: [{ negativeRecords: 1, sanctions: [{ level: "PUBLIC_CONDEMNATION", reason: "串通投标" }] }],
      goodStanding: false,
    });
    expect(standing.concerns.find((c) => c.code === "ACTIVE_SANCTION")?.messageEn).toMatch(
      /Sanctioned on 2026-02-20: PUBLIC_CONDEMNATION \(串通投标\)/,
    );

    const pub = await t.query<{
      enterprise: { sanctions: { level: string }[]; evaluations: { status: string; voidReason: string }[] };
    }>(`query ($u: USCC!) { enterprise(uscc: $u) { sanctions { level } evaluations { status voidReason } } }`, {
      u: s.uscc,
    });
    expect(pub.data?.enterprise).toMatchObject({
      sanctions: [{ level: "PUBLIC_CONDEMNATION" }],
      evaluations: [{ status: "VOIDED", voidReason: expect.stringMatching(/PUBLIC_CONDEMNATION/) }],
    });
  });

  it("when an association only warns a member, then neither the feed nor the standing nor anyone but the member learns of it", async () => {
    const s = await scene();
    await ok(
      t,
      IMPOSE,
      { i: { uscc: s.uscc, level: "WARNING", reason: "迟交年报", decidedOn: "2026-02-20" } },
      s.association.key,
    );
    expect(await feedOf(s)).toEqual([]);
    expect(await standingOf(s)).toMatchObject({
      evaluation: { grade: "AAA" },
      associations: [{ negativeRecords: 0, sanctions: [] }],
      goodStanding: true,
    });
    const Q = `query ($u: USCC!) { enterprise(uscc: $u) { sanctions { level reason } } }`;
    expect(
      (await t.query<{ enterprise: { sanctions: unknown[] } }>(Q, { u: s.uscc })).data?.enterprise.sanctions,
    ).toEqual([]);
    expect(
      (
        await t.query<{ enterprise: { sanctions: unknown[] } }>(
          Q,
          { u: s.uscc },
          { apiKey: s.bank.key, purpose: "LOAN_APPROVAL" },
        )
      ).data?.enterprise.sanctions,
    ).toEqual([]);
    expect(
      (await ok<{ enterprise: { sanctions: unknown[] } }>(t, Q, { u: s.uscc }, s.enterprise.key)).enterprise.sanctions,
    ).toEqual([{ level: "WARNING", reason: "迟交年报" }]);
  });

  it("when the sanction is withdrawn, then the shared record is retracted in the bureau's feed and leaves the standing", async () => {
    const s = await scene();
    const { imposeSanction } = await ok<{ imposeSanction: { id: string } }>(
      t,
      IMPOSE,
      { i: { uscc: s.uscc, level: "REPORTED_TO_AUTHORITIES", reason: "虚假宣传", decidedOn: "2026-02-20" } },
      s.association.key,
    );
    await ok(
      t,
      `mutation ($i: EndSanctionInput!) { endSanction(input: $i) { status } }`,
      { i: { id: imposeSanction.id, outcome: "WITHDRAWN", reason: "复核认定事实不清", endedOn: "2026-02-28" } },
      s.association.key,
    );
    expect((await feedOf(s)).map((c) => [c.kind, c.record?.status])).toEqual([
      ["NEW", "RETRACTED"],
      ["RETRACTED", "RETRACTED"],
    ]);
    expect(await standingOf(s)).toMatchObject({ associations: [{ negativeRecords: 0, sanctions: [] }] });
  });

  it("when a member's membership is revoked, then the membership ends with the reason", async () => {
    const s = await scene();
    await ok(
      t,
      IMPOSE,
      { i: { uscc: s.uscc, level: "MEMBERSHIP_REVOKED", reason: "严重违反公约", decidedOn: "2026-02-21" } },
      s.association.key,
    );
    const r = await ok<{ members: { enterprise: { uscc: string }; status: string; leftOn: string }[] }>(
      t,
      `{ members { enterprise { uscc } status leftOn } }`,
      {},
      s.association.key,
    );
    expect(r.members.find((m) => m.enterprise.uscc === s.uscc)).toMatchObject({
      status: "ENDED",
      leftOn: "2026-02-21",
    });
  });

  it("when an association has no convention, or the enterprise is no member, then sanctioning is refused", async () => {
    const association = await t.organisation("ASSOCIATION");
    const uscc = newUscc();
    await admit(t, association.key, uscc);
    const noConvention = await t.query(
      IMPOSE,
      { i: { uscc, level: "WARNING", reason: "x", decidedOn: "2026-02-01" } },
      { apiKey: association.key },
    );
    expect(noConvention.errors?.[0]?.message).toBe("Publish your self-discipline convention first.");
    const s = await scene();
    // Known to the directory (an unknown code is NOT_FOUND before membership is asked), never admitted by s.association.
    const outsider = newUscc();
    await admit(t, association.key, outsider);
    const stranger = await t.query(
      IMPOSE,
      { i: { uscc: outsider, level: "WARNING", reason: "x", decidedOn: "2026-02-01" } },
      { apiKey: s.association.key },
    );
    expect(stranger.errors?.[0]?.message).toMatch(/not a member of your association/);
  });
});

describe("red, black and watch lists", () => {
  const ADD = `mutation ($i: AddToListInput!) { addToList(input: $i) { id list exitEligibleOn } }`;
  const LISTS = `query ($u: USCC!) { enterprise(uscc: $u) { listEntries { list reason disputed } } }`;

  it("when an enterprise is black- and watch-listed, then anyone sees the black list, the watch list only whom it concerns, and the standing weighs both", async () => {
    const s = await scene();
    await ok(
      t,
      ADD,
      { i: { uscc: s.uscc, list: "BLACK", reason: "恶意拖欠货款", enteredOn: "2026-02-01" } },
      s.association.key,
    );
    await ok(
      t,
      ADD,
      { i: { uscc: s.uscc, list: "WATCH", reason: "经营异常", enteredOn: "2026-02-01" } },
      s.association.key,
    );
    const anyone = await t.query<{ enterprise: { listEntries: { list: string }[] } }>(LISTS, { u: s.uscc });
    expect(anyone.data?.enterprise.listEntries.map((e) => e.list)).toEqual(["BLACK"]);
    const standing = await standingOf(s);
    expect(standing.associations[0]?.lists.map((e) => e.list).sort()).toEqual(["BLACK", "WATCH"]);
    expect(standing.concerns.find((c) => c.code === "BLACK_LIST")?.messageEn).toMatch(
      /On the black list .*恶意拖欠货款/,
    );
    expect(standing.concerns.find((c) => c.code === "WATCH_LIST")?.messageEn).toMatch(/On the watch list since /);
  });

  it("when the enterprise objects, then the entry shows as disputed until the association answers; removal before the repair period is refused", async () => {
    const s = await scene();
    const { addToList } = await ok<{ addToList: { id: string; exitEligibleOn: string } }>(
      t,
      ADD,
      { i: { uscc: s.uscc, list: "BLACK", reason: "恶意拖欠货款", enteredOn: "2026-02-01" } },
      s.association.key,
    );
    expect(addToList.exitEligibleOn).toBe("2029-02-01");
    await ok(
      t,
      `mutation ($id: ID!) { objectToListEntry(id: $id, objection: "已全额清偿") { id } }`,
      { id: addToList.id },
      s.enterprise.key,
    );
    expect(
      (await t.query<{ enterprise: { listEntries: { disputed: boolean }[] } }>(LISTS, { u: s.uscc })).data?.enterprise
        .listEntries,
    ).toMatchObject([{ disputed: true }]);

    const early = await t.query(
      `mutation ($id: ID!) { removeFromList(id: $id, reason: "已整改") { status } }`,
      { id: addToList.id },
      { apiKey: s.association.key },
    );
    expect(early.errors?.[0]?.message).toMatch(/from 2029-02-01/);
    await ok(
      t,
      `mutation ($id: ID!) { answerListObjection(id: $id, answer: "经核实已清偿，移出名单", removed: true) { status } }`,
      { id: addToList.id },
      s.association.key,
    );
    expect(
      (await t.query<{ enterprise: { listEntries: unknown[] } }>(LISTS, { u: s.uscc })).data?.enterprise.listEntries,
    ).toEqual([]);
  });

  it("when the repair period has passed, then the association can take the enterprise off the list", async () => {
    const s = await scene();
    const { addToList } = await ok<{ addToList: { id: string } }>(
      t,
      ADD,
      { i: { uscc: s.uscc, list: "WATCH", reason: "经营异常", enteredOn: "2026-02-01" } },
      s.association.key,
    );
    const saved = clock;
    try {
      clock = Date.parse("2027-02-02T09:00:00Z");
      const r = await ok<{ removeFromList: { status: string } }>(
        t,
        `mutation ($id: ID!) { removeFromList(id: $id, reason: "信用修复完成") { status } }`,
        { id: addToList.id },
        s.association.key,
      );
      expect(r.removeFromList.status).toBe("EXITED");
    } finally {
      clock = saved;
    }
  });
});
