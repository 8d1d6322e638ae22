import { expect } from "vitest";
import { newUscc, type TestHub } from "./hub.ts";

/** A call that must succeed: its errors fail the test with their messages. */
export async function ok<T = Record<string, unknown>>(
  t: TestHub,
  document: string,
  variables: Record<string, unknown>,
  apiKey: string,
): Promise<T> {
  const r = await t.query<T>(document, variables, { apiKey });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data as T;
}

export interface RecordFields {
  polarity: string;
  category: string;
  summary: string;
  source: string;
  occurredOn: string;
  endedOn: string | null;
  evidenceRef: string | null;
}

/** A new association with one member carrying one negative credit record. */
export async function memberWithRecord(t: TestHub, options: { uscc?: string; record?: Partial<RecordFields> } = {}) {
  const association = await t.organisation("ASSOCIATION");
  const uscc = options.uscc ?? newUscc();
  // Registering an enterprise the directory already knows under the same name is a no-op.
  await ok(
    t,
    `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
    { i: { uscc, name: `测试企业 ${uscc}` } },
    association.key,
  );
  await ok(
    t,
    `mutation ($i: AdmitMemberInput!) { admitMember(input: $i) { id } }`,
    { i: { uscc, joinedOn: "2015-01-01" } },
    association.key,
  );
  const { recordCreditEvent } = await ok<{ recordCreditEvent: { id: string } }>(
    t,
    `mutation ($i: RecordCreditEventInput!) { recordCreditEvent(input: $i) { id } }`,
    {
      i: {
        uscc,
        polarity: "NEGATIVE",
        category: "PAYMENT",
        summary: "逾期付款 90 天",
        source: "供应商投诉",
        occurredOn: "2024-01-05",
        endedOn: "2024-03-01",
        ...options.record,
      },
    },
    association.key,
  );
  return { association, uscc, recordId: recordCreditEvent.id };
}

/** A new bank holding the owner's grant of these classes for LOAN_APPROVAL. */
export async function bankWithGrant(t: TestHub, ownerKey: string, classes: string[]) {
  const bank = await t.organisation("FINANCIAL");
  await grant(t, ownerKey, { consumerOrganisationId: bank.id, classes });
  return bank;
}

/** The association grants access (LOAN_APPROVAL unless purposes are given); returns the grant's id. */
export async function grant(t: TestHub, ownerKey: string, input: Record<string, unknown>): Promise<string> {
  const data = await ok<{ grantAssociationAccess: { id: string } }>(
    t,
    `mutation ($i: GrantAssociationAccessInput!) { grantAssociationAccess(input: $i) { id } }`,
    { i: { classes: ["SHARED", "CONSENT"], purposes: ["LOAN_APPROVAL"], ...input } },
    ownerKey,
  );
  return data.grantAssociationAccess.id;
}

/** The enterprise consents that the consumer sees its CONSENT data for the purpose, for a day from now (real time). */
export function giveConsent(
  t: TestHub,
  enterpriseKey: string,
  consumerId: string,
  purpose = "LOAN_APPROVAL",
  expiresAt?: Date,
) {
  return ok(
    t,
    `mutation ($i: GiveConsentInput!) { giveConsent(input: $i) { id } }`,
    { i: { consumerId, purpose, expiresAt: (expiresAt ?? new Date(Date.now() + 86_400_000)).toISOString() } },
    enterpriseKey,
  );
}

/**
 * An evaluator code no association of this hub has yet. Codes are unique per hub, and a worker's files share one
 * hub (sharedTestHub), so a counter per file would collide: a random code, the next one while it is taken.
 */
async function assignFreeEvaluatorCode(t: TestHub, associationId: string): Promise<string> {
  // From 200 up: the demo data (hub/seed.ts, seeded on the shared hub by standing.test) gives 101 and 102.
  let n = 200 + Math.floor(Math.random() * 800);
  for (let attempt = 0; attempt < 800; attempt++, n = n === 999 ? 200 : n + 1) {
    const code = String(n);
    const r = await t.query(
      `mutation ($a: ID!, $c: String!) { assignEvaluatorCode(associationId: $a, code: $c) }`,
      { a: associationId, c: code },
      { apiKey: t.operatorKey },
    );
    if (!r.errors) return code;
    if (!/already given/.test(r.errors[0]?.message ?? "")) throw new Error(JSON.stringify(r.errors));
  }
  throw new Error("Every evaluator code of this hub is given.");
}

/** A new association that can evaluate: an evaluator code from the operator and a published two-indicator methodology. */
export async function evaluatingAssociation(t: TestHub) {
  const association = await t.organisation("ASSOCIATION");
  const code = await assignFreeEvaluatorCode(t, association.id);
  const { publishEvaluationMethodology } = await ok<{ publishEvaluationMethodology: { id: string } }>(
    t,
    `mutation ($i: PublishEvaluationMethodologyInput!) { publishEvaluationMethodology(input: $i) { id } }`,
    {
      i: {
        title: "会员企业信用评价办法",
        indicators: [
          { code: "FIN", name: "财务状况", weight: 0.6 },
          { code: "CMP", name: "履约与合规", weight: 0.4 },
        ],
      },
    },
    association.key,
  );
  return { association, code, methodologyId: publishEvaluationMethodology.id };
}

/** The association admits the enterprise (registering it first if the directory does not know it). */
export async function admit(t: TestHub, associationKey: string, uscc: string, joinedOn = "2015-01-01") {
  await ok(
    t,
    `mutation ($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { uscc } }`,
    { i: { uscc, name: `测试企业 ${uscc}` } },
    associationKey,
  );
  await ok(
    t,
    `mutation ($i: AdmitMemberInput!) { admitMember(input: $i) { id } }`,
    { i: { uscc, joinedOn } },
    associationKey,
  );
}

export const EVALUATE = /* GraphQL */ `
  mutation ($i: EvaluateMemberInput!) {
    evaluateMember(input: $i) { id grade gradeCode tier certificateNumber issuedOn validUntil status total }
  }
`;

/** Scores FIN and CMP for the methodology of evaluatingAssociation (weights 0.6 and 0.4). */
export function evaluation(uscc: string, methodologyId: string, fin: number, cmp: number, issuedOn = "2026-01-10") {
  return {
    i: {
      uscc,
      methodologyId,
      issuedOn,
      scores: [
        { indicator: "FIN", score: fin },
        { indicator: "CMP", score: cmp },
      ],
    },
  };
}
