import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GraphQLClient, gql } from "graphql-request";

/**
 * A bank's credit officer, request to filed report, as a bank's own program
 * would do it: a plain GraphQL client (graphql-request) against the hub's
 * gateway, nothing of the hub's code. The README walks through it; the test
 * suite runs it against a hub, so the walkthrough cannot go stale.
 *
 *   HUB_URL=http://localhost:4000/graphql BANK_KEY=… ENTERPRISE_KEY=… USCC=… OUT=reports \
 *     npx tsx examples/credit-officer/journey.ts
 *
 * ENTERPRISE_KEY stands in for the enterprise answering in its own console;
 * leave it out and the journey stops once the request is sent.
 */

const PURPOSE = "LOAN_APPROVAL";

const REQUEST_CONSENT = gql`
  mutation ($input: RequestConsentInput!) {
    requestConsent(input: $input) { id state days answerBy }
  }
`;
const PENDING = gql`
  query { consentRequests(state: PENDING) { id uscc purpose days message requester { name } } }
`;
const APPROVE = gql`
  mutation ($id: ID!, $days: Int) { approveConsentRequest(id: $id, days: $days) { state consent { id expiresAt receipt } } }
`;
const STANDING = gql`
  query ($uscc: USCC!) {
    standing(uscc: $uscc, purpose: LOAN_APPROVAL) {
      enterprise { name }
      consent { id expiresAt }
      goodStanding
      concerns { code owner { name } message messageEn }
      programmes { programme { name } eligible unmet { code message messageEn } }
    }
  }
`;
const REPORT = gql`
  query ($uscc: USCC!) {
    standingReport(uscc: $uscc, purpose: LOAN_APPROVAL) { number goodStanding document pdf }
  }
`;
const KEYS = gql`
  { registryAuditPublicKey associationsAuditPublicKey industryAuditPublicKey bureausAuditPublicKey }
`;

export interface Journey {
  url: string;
  bankKey: string;
  /** The enterprise's own key, to answer the request (in real life the enterprise does this itself). */
  enterpriseKey?: string;
  uscc: string;
  /** Where the report, its PDF and the hub's published keys are saved. */
  out: string;
  log?: (line: string) => void;
}

export async function journey({ url, bankKey, enterpriseKey, uscc, out, log = console.log }: Journey) {
  // Every request of the bank states its purpose: grants and consents are matched against it.
  const bank = new GraphQLClient(url, { headers: { "x-api-key": bankKey, "x-purpose": PURPOSE } });

  // 1. Ask the enterprise for consent: 90 days, for this loan.
  const { requestConsent } = await bank.request<{ requestConsent: { id: string; state: string } }>(REQUEST_CONSENT, {
    input: { uscc, purpose: PURPOSE, days: 90, message: "流动资金贷款审批 / working-capital loan application" },
  });
  log(`1. consent requested: ${requestConsent.id} (${requestConsent.state})`);
  if (!enterpriseKey) return { requestId: requestConsent.id };

  // 2. The enterprise sees the request and approves it, for 30 days rather than 90.
  const enterprise = new GraphQLClient(url, { headers: { "x-api-key": enterpriseKey } });
  const { consentRequests } = await enterprise.request<{ consentRequests: { id: string }[] }>(PENDING);
  if (!consentRequests.some((r) => r.id === requestConsent.id))
    throw new Error("the enterprise does not see the request");
  const { approveConsentRequest } = await enterprise.request<{
    approveConsentRequest: { state: string; consent: { id: string; expiresAt: string; receipt: string } };
  }>(APPROVE, { id: requestConsent.id, days: 30 });
  log(`2. approved until ${approveConsentRequest.consent.expiresAt}; receipt kept`);
  await writeFile(join(out, "consent-receipt.jws"), approveConsentRequest.consent.receipt);

  // 3. The standing check: the verdict, each concern by code, and the bank's programmes.
  const { standing } = await bank.request<{ standing: Standing }>(STANDING, { uscc });
  log(`3. ${standing.enterprise.name}: ${standing.goodStanding ? "in good standing" : "not in good standing"}`);
  for (const c of standing.concerns) log(`   ${c.code}: ${c.messageEn}`);
  for (const p of standing.programmes)
    log(
      `   ${p.programme.name}: ${p.eligible ? "eligible" : `not eligible (${p.unmet.map((u) => u.code).join(", ")})`}`,
    );

  // 4. The report to file: JSON (signed) and PDF, from one request, with the keys that verify it.
  const { standingReport } = await bank.request<{ standingReport: Report }>(REPORT, { uscc });
  const files = {
    report: join(out, `${standingReport.number}.json`),
    pdf: join(out, `${standingReport.number}.pdf`),
    keys: join(out, "hub-keys.json"),
  };
  await writeFile(files.report, standingReport.document);
  await writeFile(files.pdf, Buffer.from(standingReport.pdf, "base64"));
  await writeFile(files.keys, JSON.stringify(await bank.request(KEYS), null, 2));
  log(`4. report ${standingReport.number} saved: ${files.report}, ${files.pdf}`);
  log(`   check it offline: npm run hub -- report verify ${files.report} --keys ${files.keys}`);
  return {
    requestId: requestConsent.id,
    consentId: approveConsentRequest.consent.id,
    standing,
    report: standingReport,
    files,
  };
}

interface Standing {
  enterprise: { name: string };
  consent: { id: string; expiresAt: string } | null;
  goodStanding: boolean | null;
  concerns: { code: string; owner: { name: string } | null; message: string; messageEn: string }[];
  programmes: { programme: { name: string }; eligible: boolean | null; unmet: { code: string; messageEn: string }[] }[];
}

interface Report {
  number: string;
  goodStanding: boolean | null;
  document: string;
  pdf: string;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { HUB_URL, BANK_KEY, ENTERPRISE_KEY, USCC, OUT } = process.env;
  if (!BANK_KEY || !USCC) {
    console.error("Set BANK_KEY (the bank's API key) and USCC (the enterprise's code); see the README's walkthrough.");
    process.exit(2);
  }
  await journey({
    url: HUB_URL ?? "http://localhost:4000/graphql",
    bankKey: BANK_KEY,
    enterpriseKey: ENTERPRISE_KEY,
    uscc: USCC,
    out: OUT ?? ".",
  });
}
