import { beforeAll, describe, expect, it } from "vitest";
import { newUscc, sharedTestHub, type TestHub } from "./support/hub.ts";
import { admit, EVALUATE, evaluatingAssociation, evaluation, ok } from "./support/scenes.ts";

/** Credit evaluation through the gateway, on an injected clock: grades, certificates, validity, one valid per enterprise. */

let clock = Date.parse("2026-03-01T09:00:00Z");
let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub({ now: () => new Date(clock) });
});

type Evaluated = {
  evaluateMember: {
    id: string;
    grade: string;
    gradeCode: string;
    tier: string;
    certificateNumber: string;
    issuedOn: string;
    validUntil: string;
    status: string;
    total: number;
  };
};

const PUBLIC_VIEW = /* GraphQL */ `
  query ($u: USCC!) {
    enterprise(uscc: $u) {
      evaluation {
        grade certificateNumber validUntil status association { id } total
        methodology { version title indicators { code weight } gradeFloors { grade lowestScore } }
      }
    }
  }
`;

describe("evaluating a member", () => {
  it("when an association evaluates a member, then the grade follows the weighted scores, the certificate is numbered, and anyone sees the result but not the scores", async () => {
    const { association, code, methodologyId } = await evaluatingAssociation(t);
    const uscc = newUscc();
    await admit(t, association.key, uscc);
    // 0.6 × 85 + 0.4 × 70 = 79: one hundredth below AA's floor of 80.
    const first = await ok<Evaluated>(t, EVALUATE, evaluation(uscc, methodologyId, 85, 70), association.key);
    expect(first.evaluateMember).toMatchObject({
      grade: "A",
      gradeCode: "001",
      tier: "A",
      issuedOn: "2026-01-10",
      validUntil: "2029-01-09",
      status: "VALID",
      total: 79,
      certificateNumber: `2026${code}00100001`,
    });

    const r = await t.query<{ enterprise: { evaluation: Record<string, unknown> } }>(PUBLIC_VIEW, { u: uscc });
    expect(r.data?.enterprise.evaluation).toMatchObject({
      grade: "A",
      certificateNumber: `2026${code}00100001`,
      association: { id: association.id },
      total: null,
      methodology: {
        version: 1,
        indicators: [
          { code: "FIN", weight: 0.6 },
          { code: "CMP", weight: 0.4 },
        ],
      },
    });
    expect(r.errors?.map((e) => [e.path?.at(-1), e.extensions?.code])).toEqual([["total", "FORBIDDEN"]]);

    // The next certificate of the year takes the next serial, with its own grade code.
    const other = newUscc();
    await admit(t, association.key, other);
    const second = await ok<Evaluated>(t, EVALUATE, evaluation(other, methodologyId, 95, 95), association.key);
    expect(second.evaluateMember.certificateNumber).toBe(`2026${code}11100002`);
  });

  it("when the enterprise already holds a valid evaluation from another association, then the second fails naming it, and succeeds once it has expired", async () => {
    const first = await evaluatingAssociation(t);
    const second = await evaluatingAssociation(t);
    const uscc = newUscc();
    await admit(t, first.association.key, uscc);
    await admit(t, second.association.key, uscc);
    const held = await ok<Evaluated>(
      t,
      EVALUATE,
      evaluation(uscc, first.methodologyId, 70, 70, "2026-02-01"),
      first.association.key,
    );

    const refused = await t.query(EVALUATE, evaluation(uscc, second.methodologyId, 90, 90), {
      apiKey: second.association.key,
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      existingCertificate: held.evaluateMember.certificateNumber,
      existingAssociation: first.association.id,
    });
    expect(refused.errors?.[0]?.message).toMatch(
      /already holds a valid evaluation: certificate \d{15}.*valid until 2029-01-31/,
    );

    const saved = clock;
    try {
      clock = Date.parse("2029-01-31T23:00:00Z"); // its last day: still valid
      expect(
        (
          await t.query(EVALUATE, evaluation(uscc, second.methodologyId, 90, 90, "2029-01-31"), {
            apiKey: second.association.key,
          })
        ).errors?.[0]?.extensions?.code,
      ).toBe("BAD_USER_INPUT");
      clock = Date.parse("2029-02-01T01:00:00Z"); // the day after
      const r = await t.query<{ enterprise: { evaluation: unknown; evaluations: { status: string }[] } }>(
        `query ($u: USCC!) { enterprise(uscc: $u) { evaluation { grade } evaluations { status } } }`,
        { u: uscc },
      );
      expect(r.data?.enterprise).toEqual({ evaluation: null, evaluations: [{ status: "EXPIRED" }] });
      const now = await ok<Evaluated>(
        t,
        EVALUATE,
        evaluation(uscc, second.methodologyId, 90, 90, "2029-02-01"),
        second.association.key,
      );
      expect(now.evaluateMember).toMatchObject({ grade: "AAA", status: "VALID", validUntil: "2032-01-31" });
    } finally {
      clock = saved;
    }
  });

  it("when two associations evaluate the same enterprise at the same moment, then exactly one evaluation is valid", async () => {
    const a = await evaluatingAssociation(t);
    const b = await evaluatingAssociation(t);
    const uscc = newUscc();
    await admit(t, a.association.key, uscc);
    await admit(t, b.association.key, uscc);
    const results = await Promise.all([
      t.query(EVALUATE, evaluation(uscc, a.methodologyId, 80, 80), { apiKey: a.association.key }),
      t.query(EVALUATE, evaluation(uscc, b.methodologyId, 60, 60), { apiKey: b.association.key }),
    ]);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.find((r) => r.errors)?.errors?.[0]?.message).toMatch(/already holds a valid evaluation/);
    const r = await t.query<{ enterprise: { evaluations: { status: string }[] } }>(
      `query ($u: USCC!) { enterprise(uscc: $u) { evaluations { status } } }`,
      { u: uscc },
    );
    expect(r.data?.enterprise.evaluations).toEqual([{ status: "VALID" }]);
  });

  it("when the input is wrong, then it says what is wrong and stores nothing", async () => {
    const { association, methodologyId } = await evaluatingAssociation(t);
    const uscc = newUscc();
    await admit(t, association.key, uscc);
    const missing = await t.query(
      EVALUATE,
      { i: { ...evaluation(uscc, methodologyId, 80, 80).i, scores: [{ indicator: "FIN", score: 80 }] } },
      { apiKey: association.key },
    );
    expect(missing.errors?.[0]?.message).toBe("Score every indicator; missing CMP.");
    const range = await t.query(EVALUATE, evaluation(uscc, methodologyId, 101, 80), { apiKey: association.key });
    expect(range.errors?.[0]?.message).toMatch(/"FIN" must be 0–100/);
    // Known to the directory (an unknown code is NOT_FOUND before membership is asked), never admitted.
    const outsider = newUscc();
    await ok(
      t,
      `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
      { i: { uscc: outsider, name: `测试企业 ${outsider}` } },
      association.key,
    );
    const stranger = await t.query(EVALUATE, evaluation(outsider, methodologyId, 80, 80), { apiKey: association.key });
    expect(stranger.errors?.[0]?.message).toMatch(/not an active member/);
    const weights = await t.query(
      `mutation { publishEvaluationMethodology(input: { title: "x", indicators: [{ code: "A", name: "a", weight: 0.5 }, { code: "B", name: "b", weight: 0.4 }] }) { id } }`,
      {},
      { apiKey: association.key },
    );
    expect(weights.errors?.[0]).toMatchObject({
      message: "The weights must add up to 1; they add up to 0.9.",
      extensions: { code: "BAD_USER_INPUT" },
    });
    const r = await t.query<{ enterprise: { evaluations: unknown[] } }>(
      `query ($u: USCC!) { enterprise(uscc: $u) { evaluations { id } } }`,
      { u: uscc },
    );
    expect(r.data?.enterprise.evaluations).toEqual([]);
  });

  it("when an association without an evaluator code evaluates, or a non-operator assigns codes, then it is refused", async () => {
    const association = await t.organisation("ASSOCIATION");
    const notOperator = await t.query(
      `mutation ($a: ID!) { assignEvaluatorCode(associationId: $a, code: "999") }`,
      { a: association.id },
      { apiKey: association.key },
    );
    expect(notOperator.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const { publishEvaluationMethodology: m } = await ok<{ publishEvaluationMethodology: { id: string } }>(
      t,
      `mutation { publishEvaluationMethodology(input: { title: "x", indicators: [{ code: "A", name: "a", weight: 1 }] }) { id } }`,
      {},
      association.key,
    );
    const uscc = newUscc();
    await admit(t, association.key, uscc);
    const r = await t.query(
      EVALUATE,
      { i: { uscc, methodologyId: m.id, issuedOn: "2026-01-01", scores: [{ indicator: "A", score: 50 }] } },
      { apiKey: association.key },
    );
    expect(r.errors?.[0]?.message).toMatch(/no evaluator code yet/);
    const other = await evaluatingAssociation(t);
    const taken = await t.query(
      `mutation ($a: ID!, $c: String!) { assignEvaluatorCode(associationId: $a, code: $c) }`,
      { a: association.id, c: other.code },
      { apiKey: t.operatorKey },
    );
    expect(taken.errors?.[0]?.message).toMatch(/already given to another association/);
  });

  it("when a methodology is republished, then its versions are public, newest first", async () => {
    const { association } = await evaluatingAssociation(t);
    await ok(
      t,
      `mutation { publishEvaluationMethodology(input: { title: "第二版", indicators: [{ code: "A", name: "a", weight: 1 }] }) { id } }`,
      {},
      association.key,
    );
    const r = await t.query<{ evaluationMethodologies: { version: number; title: string }[] }>(
      `query ($a: ID!) { evaluationMethodologies(associationId: $a) { version title } }`,
      { a: association.id },
    );
    expect(r.data?.evaluationMethodologies).toEqual([
      { version: 2, title: "第二版" },
      { version: 1, title: "会员企业信用评价办法" },
    ]);
  });
});
