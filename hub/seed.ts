import { withUsccCheckCharacter } from "../protocol/uscc.ts";
import { syncBureau } from "./bureau-sync.ts";
import { mustGraphql } from "./client.ts";

/**
 * Demo data, entered through the gateway with the operator's key and then each
 * organisation's own key — the same path real users take.
 */

export interface DemoCredential {
  type: string;
  organisationId: string;
  apiKey: string;
  roles: string[];
}

const ORGANISATIONS = [
  { name: "华东五金制品行业协会 (demo)", type: "ASSOCIATION" },
  { name: "华南家具行业商会 (demo)", type: "ASSOCIATION" },
  { name: "信联征信有限公司 (demo)", type: "BUREAU" },
  { name: "示范商业银行 (demo)", type: "FINANCIAL" },
  { name: "钢材供应链联合会 (demo)", type: "INDUSTRY_BODY" },
  { name: "市场监管示范局 (demo)", type: "REGULATOR" },
] as const;

/** Ten member enterprises with valid codes (check characters computed, not typed). */
export const DEMO_ENTERPRISES = [
  "上海精工五金有限公司",
  "宁波恒达工具制造有限公司",
  "苏州锐锋刀具股份有限公司",
  "杭州广源紧固件有限公司",
  "东莞华美家具有限公司",
  "佛山雅居家居用品有限公司",
  "深圳木艺坊家具有限公司",
  "广州森源板材有限公司",
  "中山佳宜五金家具配件有限公司",
  "江门立新门业有限公司",
].map((name, i) => ({ name, uscc: withUsccCheckCharacter(`9131011${i}MA1GDEM${String(i).padStart(2, "0")}`) }));

/** Members that use the hub themselves: one with a clean file, one with troubles at three owners. Both consent to the demo bank. */
const ENTERPRISE_USERS = [DEMO_ENTERPRISES[0], DEMO_ENTERPRISES[1]] as { name: string; uscc: string }[];

export async function seedDemo(
  url: string,
  operatorKey: string,
  progress: (message: string) => void = () => {},
): Promise<Record<string, DemoCredential>> {
  const credentials: Record<string, DemoCredential> = {};
  const admit = async (name: string, type: string, uscc?: string) => {
    const { createOrganisation } = await mustGraphql<{ createOrganisation: { id: string } }>(
      url,
      /* GraphQL */ `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { name, type, uscc } },
      { apiKey: operatorKey },
    );
    const roles = ["STAFF", "ADMIN"];
    const { issueApiKey } = await mustGraphql<{ issueApiKey: { key: string } }>(
      url,
      /* GraphQL */ `mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) { key } }`,
      { input: { organisationId: createOrganisation.id, label: "demo", roles } },
      { apiKey: operatorKey },
    );
    credentials[name] = { type, organisationId: createOrganisation.id, apiKey: issueApiKey.key, roles };
    return issueApiKey.key;
  };

  progress("admitting demo organisations");
  const keys: string[] = [];
  for (const org of ORGANISATIONS) keys.push(await admit(org.name, org.type));
  for (const user of ENTERPRISE_USERS) await admit(user.name, "ENTERPRISE", user.uscc);
  const [eastKey, southKey] = keys as [string, string];

  progress("registering ten member enterprises");
  for (const enterprise of DEMO_ENTERPRISES) {
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }`,
      { input: enterprise },
      { apiKey: eastKey },
    );
  }

  progress("admitting members and recording credit events");
  const memberships: [string, number[]][] = [
    [eastKey, [0, 1, 2, 3, 8]],
    [southKey, [4, 5, 6, 7, 8, 9]],
  ];
  for (const [key, members] of memberships) {
    for (const i of members) {
      await mustGraphql(
        url,
        /* GraphQL */ `mutation ($input: AdmitMemberInput!) { admitMember(input: $input) { id } }`,
        {
          input: {
            uscc: uscc(i),
            joinedOn: `20${18 + (i % 5)}-0${1 + (i % 9)}-15`,
            level: i % 4 === 0 ? "理事单位" : "会员",
          },
        },
        { apiKey: key },
      );
    }
  }

  const events = [
    [eastKey, 0, "POSITIVE", "AWARD", "获评年度行业诚信示范企业", "协会年度评选决定", "2023-12-20", null],
    [
      eastKey,
      1,
      "NEGATIVE",
      "PAYMENT",
      "拖欠上游供应商货款逾期 120 天",
      "会员企业投诉及核实记录",
      "2022-03-01",
      "2022-09-30",
    ],
    [eastKey, 2, "POSITIVE", "CERTIFICATION", "通过 ISO 9001 质量管理体系认证", "认证证书", "2021-06-10", null],
    [
      eastKey,
      3,
      "NEGATIVE",
      "PRODUCT_QUALITY",
      "产品抽检不合格（紧固件抗拉强度）",
      "市场监管部门抽检通报",
      "2020-05-12",
      "2020-11-30",
    ],
    [southKey, 4, "POSITIVE", "CONTRACT_PERFORMANCE", "连续三年合同履约率 100%", "商会履约评估", "2024-01-31", null],
    [southKey, 5, "NEGATIVE", "ADMINISTRATIVE_PENALTY", "环保行政处罚", "行政处罚决定书", "2019-08-08", "2019-12-31"],
    [
      southKey,
      6,
      "NEGATIVE",
      "SELF_DISCIPLINE",
      "违反商会自律公约：低价倾销",
      "商会自律委员会决定",
      "2023-04-18",
      null,
    ],
    [southKey, 9, "POSITIVE", "AWARD", "省级专精特新中小企业", "省工信厅公示", "2022-10-01", null],
  ] as const;
  for (const [key, i, polarity, category, summary, source, occurredOn, endedOn] of events) {
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { id } }`,
      {
        input: {
          uscc: uscc(i),
          polarity,
          category,
          summary,
          source,
          occurredOn,
          endedOn,
          evidenceRef: `DEMO-${i}-${occurredOn}`,
        },
      },
      { apiKey: key },
    );
  }
  await mustGraphql(
    url,
    /* GraphQL */ `mutation ($input: ReportTradingPartnerInput!) { reportTradingPartner(input: $input) { id } }`,
    {
      input: {
        reporterUscc: uscc(0),
        partnerUscc: uscc(1),
        relation: "CUSTOMER",
        indicator: "PAYMENT_PUNCTUALITY",
        assessment: "POOR",
        periodStart: "2022-01-01",
        periodEnd: "2022-12-31",
        detail: "全年平均回款周期 150 天，合同约定 30 天",
      },
    },
    { apiKey: eastKey },
  );

  progress("evaluations: codes from the operator, a published methodology, three members graded");
  const [eastId, southId] = Object.values(credentials)
    .filter((c) => c.type === "ASSOCIATION")
    .map((c) => c.organisationId) as [string, string];
  for (const [associationId, code] of [
    [eastId, "101"],
    [southId, "102"],
  ] as const)
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($a: ID!, $c: String!) { assignEvaluatorCode(associationId: $a, code: $c) }`,
      { a: associationId, c: code },
      { apiKey: operatorKey },
    );
  const { publishEvaluationMethodology: methodology } = await mustGraphql<{
    publishEvaluationMethodology: { id: string };
  }>(
    url,
    /* GraphQL */ `mutation ($i: PublishEvaluationMethodologyInput!) { publishEvaluationMethodology(input: $i) { id } }`,
    {
      i: {
        title: "五金制品行业会员企业信用评价办法（2025）",
        indicators: [
          { code: "FIN", name: "财务状况", weight: 0.3, description: "偿债能力、盈利能力、现金流" },
          { code: "PAY", name: "履约付款", weight: 0.3, description: "合同履约与按期付款" },
          { code: "QUA", name: "产品质量", weight: 0.2, description: "抽检合格率与质量投诉" },
          { code: "CMP", name: "合规与自律", weight: 0.2, description: "行政处罚、行业自律记录" },
        ],
      },
    },
    { apiKey: eastKey },
  );
  const graded: [number, number[], string][] = [
    [0, [92, 95, 90, 94], "2025-06-18"],
    [2, [78, 80, 84, 75], "2025-03-02"],
    [3, [60, 66, 48, 58], "2024-11-12"],
  ];
  for (const [i, [fin, pay, qua, cmp], issuedOn] of graded)
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($i: EvaluateMemberInput!) { evaluateMember(input: $i) { certificateNumber } }`,
      {
        i: {
          uscc: uscc(i),
          methodologyId: methodology.id,
          issuedOn,
          scores: [
            { indicator: "FIN", score: fin },
            { indicator: "PAY", score: pay },
            { indicator: "QUA", score: qua },
            { indicator: "CMP", score: cmp },
          ],
        },
      },
      { apiKey: eastKey },
    );

  progress("self-discipline: a convention, a public condemnation, the red and black lists");
  await mustGraphql(
    url,
    /* GraphQL */ `mutation ($i: PublishConventionInput!) { publishConvention(input: $i) { id } }`,
    {
      i: {
        title: "华南家具行业自律公约",
        text: "第一条 会员企业应当诚信经营、公平竞争。第五条 不得以次充好、虚假宣传。第八条 违反本公约的，视情节给予警告、行业内通报批评、公开谴责、取消会员资格、向有关部门通报等惩戒。",
        adoptedOn: "2024-05-10",
      },
    },
    { apiKey: southKey },
  );
  await mustGraphql(
    url,
    /* GraphQL */ `mutation ($i: ImposeSanctionInput!) { imposeSanction(input: $i) { id } }`,
    {
      i: {
        uscc: uscc(7),
        level: "PUBLIC_CONDEMNATION",
        reason: "板材甲醛释放量抽检不合格且拒不整改",
        decidedOn: "2025-11-20",
        clause: "第五条",
      },
    },
    { apiKey: southKey },
  );
  for (const [i, list, reason, enteredOn] of [
    [7, "BLACK", "产品质量严重失信，拒不整改", "2025-11-20"],
    [4, "RED", "连续三年合同履约率 100%", "2024-12-30"],
  ] as const)
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($i: AddToListInput!) { addToList(input: $i) { id } }`,
      { i: { uscc: uscc(i), list, reason, enteredOn } },
      { apiKey: southKey },
    );

  progress("sharing: the associations grant banks, the bureau and regulators");
  const id = (type: string) => Object.values(credentials).find((c) => c.type === type)?.organisationId;
  const GRANT = /* GraphQL */ `mutation ($input: GrantAssociationAccessInput!) { grantAssociationAccess(input: $input) { id } }`;
  for (const key of [eastKey, southKey]) {
    await mustGraphql(
      url,
      GRANT,
      {
        input: {
          consumerType: "FINANCIAL",
          classes: ["SHARED", "CONSENT"],
          purposes: ["LOAN_APPROVAL", "POST_LOAN_MONITORING"],
        },
      },
      { apiKey: key },
    );
    await mustGraphql(
      url,
      GRANT,
      { input: { consumerOrganisationId: id("BUREAU"), classes: ["SHARED"], purposes: ["CREDIT_REPORTING"] } },
      { apiKey: key },
    );
    await mustGraphql(
      url,
      GRANT,
      { input: { consumerType: "REGULATOR", classes: ["SHARED", "CONSENT"], purposes: ["SUPERVISION"] } },
      { apiKey: key },
    );
  }
  const bodyKey = Object.values(credentials).find((c) => c.type === "INDUSTRY_BODY")?.apiKey as string;
  progress("recording trading-partner performance at the industry body");
  const trade = [
    { uscc: uscc(1), kind: "PAYMENT", onTimeRatio: 0.58, detail: "2023 年对上游钢材供应商付款 42% 逾期" },
    { uscc: uscc(4), kind: "CONTRACT", fulfilled: 47, due: 48, detail: "一份合同因不可抗力延期交付" },
    { uscc: uscc(6), kind: "DISPUTE", mediationOutcome: "SETTLED", detail: "货款纠纷经联合会调解达成和解" },
  ];
  for (const record of trade) {
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($input: RecordTradePerformanceInput!) { recordTradePerformance(input: $input) { id } }`,
      { input: { ...record, periodStart: "2023-01-01", periodEnd: "2023-12-31", counterparty: "（演示）上游供应商" } },
      { apiKey: bodyKey },
    );
  }
  await mustGraphql(
    url,
    /* GraphQL */ `mutation ($input: GrantIndustryBodyAccessInput!) { grantIndustryBodyAccess(input: $input) { id } }`,
    { input: { consumerType: "FINANCIAL", classes: ["SHARED", "CONSENT"], purposes: ["LOAN_APPROVAL"] } },
    { apiKey: bodyKey },
  );

  const bureauKey = Object.values(credentials).find((c) => c.type === "BUREAU")?.apiKey as string;
  progress("recording the bureau's own findings");
  await mustGraphql(
    url,
    /* GraphQL */ `mutation ($input: RecordBureauEntryInput!) { recordBureauEntry(input: $input) { id } }`,
    {
      input: {
        uscc: uscc(1),
        polarity: "NEGATIVE",
        category: "JUDGMENT",
        summary: "买卖合同纠纷一审败诉，判决已履行",
        source: "裁判文书网（演示）",
        occurredOn: "2022-11-18",
        endedOn: "2023-02-01",
      },
    },
    { apiKey: bureauKey },
  );
  await mustGraphql(
    url,
    /* GraphQL */ `mutation ($input: GrantBureauAccessInput!) { grantBureauAccess(input: $input) { id } }`,
    {
      input: {
        consumerType: "FINANCIAL",
        classes: ["SHARED", "CONSENT"],
        purposes: ["LOAN_APPROVAL", "POST_LOAN_MONITORING"],
      },
    },
    { apiKey: bureauKey },
  );

  progress("the bureau syncs the records the associations share with it");
  await syncBureau(url, bureauKey);

  progress("consent: two enterprises let the demo bank see their data for loan approval");
  for (const user of ENTERPRISE_USERS) {
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($input: GiveConsentInput!) { giveConsent(input: $input) { id } }`,
      {
        input: {
          consumerId: id("FINANCIAL"),
          purpose: "LOAN_APPROVAL",
          // Half a year: well inside the longest a consent may last (CONSENT_MAX_MONTHS).
          expiresAt: new Date(Date.now() + 180 * 86_400_000).toISOString(),
        },
      },
      { apiKey: credentials[user.name]?.apiKey as string },
    );
  }

  progress("programmes: the demo bank's preferential terms, weighed in each standing check it makes");
  for (const input of DEMO_PROGRAMMES)
    await mustGraphql(
      url,
      /* GraphQL */ `mutation ($input: DefineProgrammeInput!) { defineProgramme(input: $input) { id } }`,
      { input },
      { apiKey: bankKey(credentials) },
    );
  return credentials;
}

/** The demo bank's programmes (一(三): members in good standing get preferential terms). */
export const DEMO_PROGRAMMES = [
  {
    name: "优质会员企业贷款利率优惠 (demo)",
    description: "信用等级 A 级及以上、三年内无通报批评及以上惩戒、无未决纠纷、无不良信息的会员企业，贷款利率下浮。",
    criteria: [
      { kind: "GRADE_AT_LEAST", grade: "A" },
      { kind: "NO_SANCTION_AT_LEAST", level: "NOTICE_OF_CRITICISM", withinYears: 3 },
      { kind: "NO_OPEN_DISPUTE" },
      { kind: "NOTHING_ADVERSE" },
    ],
  },
  {
    name: "红名单企业绿色通道 (demo)",
    description: "列入行业协会红名单且按时付款比例不低于 95% 的企业，审批走绿色通道。",
    criteria: [{ kind: "ON_RED_LIST" }, { kind: "ON_TIME_RATIO_AT_LEAST", ratio: 0.95 }],
  },
];

const bankKey = (credentials: Record<string, DemoCredential>) =>
  Object.values(credentials).find((c) => c.type === "FINANCIAL")?.apiKey as string;

function uscc(i: number): string {
  return (DEMO_ENTERPRISES[i] as { uscc: string }).uscc;
}
