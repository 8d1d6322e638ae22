import { randomUUID } from "node:crypto";
import pg from "pg";
import { OPERATOR_NAME } from "../hub/bootstrap.ts";
import {
  certificateNumber,
  DEFAULT_GRADE_FLOORS,
  validUntil as evaluationValidUntil,
  type Grade,
  gradeFor,
} from "../subgraphs/associations/rules/grades.ts";
import { newApiKey } from "../subgraphs/registry/credentials.ts";
import { type DatasetSize, enterpriseName, usccAt } from "./dataset.ts";

/**
 * Bulk-loads the benchmark's data set straight into the four owners' databases
 * (created and migrated, still empty). Going through the API would take hours
 * at a million records; instead each table gets the rows the app itself would
 * have written, in batched `INSERT … SELECT FROM unnest(…)` statements.
 *
 * Everything but ids and key secrets is a pure function of the index and the
 * seeding day, so two data sets of one size hold the same records.
 */

export interface SeededParties {
  /** An API key with roles OPERATOR, ADMIN (organisation type HUB). */
  operatorKey: string;
  /** FINANCIAL, STAFF key: SHARED + CONSENT grants for LOAN_APPROVAL from every owner; every enterprise consents. */
  bank: { id: string; key: string };
  /** FINANCIAL, STAFF key: SHARED-only grants for LOAN_APPROVAL from every owner; no consents. */
  bankWithoutConsent: { id: string; key: string };
  /** BUREAU, STAFF key: every association grants it SHARED for CREDIT_REPORTING, so its feed covers every change. */
  bureau: { id: string; key: string };
  /** How many RecordChange rows the bureau's feed covers; cursors are their seq values, 1 to feedChanges. */
  feedChanges: number;
}

const BATCH = 10_000;
const DAY = 86_400_000;
const ASSOCIATIONS = [
  "华东五金制品行业协会 (bench)",
  "华南家具行业商会 (bench)",
  "长三角纺织服装行业协会 (bench)",
  "珠三角电子信息行业协会 (bench)",
] as const;

interface Organisations {
  operator: string;
  associations: string[];
  industryBody: string;
  bureau: string;
  bank: string;
  bankWithoutConsent: string;
}

export async function seedDataset(
  urls: { registry: string; associations: string; industry: string; bureaus: string },
  size: DatasetSize,
  progress: (message: string) => void,
): Promise<SeededParties> {
  if (!(Number.isInteger(size.enterprises) && size.enterprises > 0 && Number.isInteger(size.records)))
    throw new Error(`Not a data set size: ${JSON.stringify(size)}`);
  const orgs: Organisations = {
    operator: randomUUID(),
    associations: ASSOCIATIONS.map(() => randomUUID()),
    industryBody: randomUUID(),
    bureau: randomUUID(),
    bank: randomUUID(),
    bankWithoutConsent: randomUUID(),
  };
  const usccs = Array.from({ length: size.enterprises }, (_, i) => usccAt(i));
  const world: World = { size, orgs, usccs, now: new Date(), progress };

  const all: pg.Client[] = [];
  try {
    const open = async (url: string, name: string, probe: string) => {
      const client = await openOwner(url, name, probe);
      all.push(client);
      return client;
    };
    const owners = {
      registry: await open(urls.registry, "registry", "Organisation"),
      associations: await open(urls.associations, "associations", "Membership"),
      industry: await open(urls.industry, "industry", "TradeRecord"),
      bureaus: await open(urls.bureaus, "bureaus", "BureauRecord"),
    };
    const [keys, feedChanges] = await Promise.all([
      seedRegistry(owners.registry, world),
      seedAssociations(owners.associations, world),
      seedIndustry(owners.industry, world),
      seedBureaus(owners.bureaus, world),
    ]);
    // The registry last: its organisations and keys appear only once the data they are for is committed.
    for (const owner of [owners.associations, owners.industry, owners.bureaus, owners.registry])
      await owner.query("COMMIT");
    // Fresh tables have no statistics and no hint bits; without this the first minutes of a run measure autovacuum.
    progress("vacuum analyze");
    await Promise.all(all.map((owner) => owner.query("VACUUM (ANALYZE)")));
    return {
      operatorKey: keys.operator,
      bank: { id: orgs.bank, key: keys.bank },
      bankWithoutConsent: { id: orgs.bankWithoutConsent, key: keys.bankWithoutConsent },
      bureau: { id: orgs.bureau, key: keys.bureau },
      feedChanges,
    };
  } catch (error) {
    await Promise.all(all.map((owner) => owner.query("ROLLBACK").catch(() => {})));
    throw error;
  } finally {
    await Promise.all(all.map((owner) => owner.end().catch(() => {})));
  }
}

interface World {
  size: DatasetSize;
  orgs: Organisations;
  usccs: string[];
  now: Date;
  progress: (message: string) => void;
}

/** One transaction per owner, so a failed seed leaves every database as empty as it found it. */
async function openOwner(url: string, name: string, probe: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM "${probe}") AS "taken"`);
    if (rows[0]?.taken) throw new Error(`The ${name} database already holds data; seed only empty databases.`);
    await client.query("BEGIN");
    // Nothing to wait for at commit but the disk: a failed seed is redone from scratch anyway.
    await client.query("SET LOCAL synchronous_commit = off");
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

// ---------------------------------------------------------------------------------------------------------------
// Bulk insertion

type Columns = readonly (readonly [name: string, type: string])[];

/** One statement that inserts a whole batch: every column travels as one array, so the statement is parsed once. */
function unnestInsert(table: string, columns: Columns): string {
  return `INSERT INTO "${table}" (${columns.map(([n]) => `"${n}"`).join(", ")})
    SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})`;
}

/**
 * Inserts `count` rows in batches, building the next batch while the database
 * writes the previous one (the connection runs one statement at a time anyway).
 */
async function inBatches(
  client: pg.Client,
  sql: string,
  width: number,
  count: number,
  row: (i: number, push: (...values: unknown[]) => void) => void,
  report: (done: number) => void = () => {},
): Promise<void> {
  let writing: Promise<unknown> | null = null;
  for (let from = 0; from < count; from += BATCH) {
    const to = Math.min(count, from + BATCH);
    const columns: unknown[][] = Array.from({ length: width }, () => []);
    const push = (...values: unknown[]) => {
      if (values.length !== width) throw new Error(`a row of ${values.length} values for ${width} columns`);
      for (let c = 0; c < width; c++) (columns[c] as unknown[]).push(values[c]);
    };
    for (let i = from; i < to; i++) row(i, push);
    if (writing) await writing;
    writing = client.query(sql, columns).then(() => report(to));
  }
  if (writing) await writing;
}

/**
 * Drops the tables' secondary indexes and returns what builds them again
 * exactly as the migrations made them: one sort per index after the load is
 * far cheaper than a million random insertions into each.
 */
async function withoutSecondaryIndexes(db: pg.Client, tables: string[]): Promise<() => Promise<void>> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
          WHERE c.conname = i.indexname AND c.conrelid = format('%I.%I', i.schemaname, i.tablename)::regclass)`,
    [tables],
  );
  for (const { name } of rows) await db.query(`DROP INDEX "${name}"`);
  return async () => {
    await db.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const { definition } of rows) await db.query(definition);
  };
}

/** Reports about ten times per table, not once per batch. */
function reporter(world: World, owner: string, what: string, total: number) {
  const step = Math.max(BATCH, Math.ceil(total / 10 / BATCH) * BATCH);
  let next = step;
  return (done: number) => {
    if (done >= next || done === total) {
      world.progress(`${owner}: ${done}/${total} ${what}`);
      while (next <= done) next += step;
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic variety

/** A well-mixed 32-bit hash of (n, salt): the data set's only source of variety, so it is the same every time. */
function hash(n: number, salt: number): number {
  let x = (n ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();
/** Midnight UTC of a day, so a date column and the app's Date for it agree. */
const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;

// ---------------------------------------------------------------------------------------------------------------
// registry

type PartyName = "operator" | "bank" | "bankWithoutConsent" | "bureau";

async function seedRegistry(db: pg.Client, world: World): Promise<Record<PartyName, string>> {
  const { orgs, usccs, now } = world;
  const t = isoTime(now.getTime());
  const organisations: [string, string, string][] = [
    [orgs.operator, OPERATOR_NAME, "HUB"],
    ...ASSOCIATIONS.map((name, i): [string, string, string] => [orgs.associations[i] as string, name, "ASSOCIATION"]),
    [orgs.industryBody, "钢材供应链联合会 (bench)", "INDUSTRY_BODY"],
    [orgs.bureau, "信联征信有限公司 (bench)", "BUREAU"],
    [orgs.bank, "基准商业银行 (bench)", "FINANCIAL"],
    [orgs.bankWithoutConsent, "未获同意商业银行 (bench)", "FINANCIAL"],
  ];
  await db.query(
    `INSERT INTO "Organisation" ("id", "name", "type", "createdAt", "updatedAt")
      SELECT id, name, type, $4, $4 FROM unnest($1::uuid[], $2::text[], $3::"OrganisationType"[]) AS o(id, name, type)`,
    [organisations.map((o) => o[0]), organisations.map((o) => o[1]), organisations.map((o) => o[2]), t],
  );

  const issue = async (name: PartyName, organisationId: string, roles: string[], createdBy: string | null) => {
    const key = newApiKey();
    await db.query(
      `INSERT INTO "ApiKey" ("id", "organisationId", "label", "roles", "secretHash", "createdAt", "createdBy")
        VALUES ($1, $2, $3, $4::"Role"[], $5, $6, $7)`,
      [key.id, organisationId, `bench ${name}`, roles, key.secretHash, t, createdBy],
    );
    return key.key;
  };
  const keys: Record<PartyName, string> = {
    operator: await issue("operator", orgs.operator, ["OPERATOR", "ADMIN"], null),
    bank: await issue("bank", orgs.bank, ["STAFF"], orgs.operator),
    bankWithoutConsent: await issue("bankWithoutConsent", orgs.bankWithoutConsent, ["STAFF"], orgs.operator),
    bureau: await issue("bureau", orgs.bureau, ["STAFF"], orgs.operator),
  };

  const total = world.size.enterprises;
  const registeredSince = now.getTime() - 6 * 365 * DAY;
  await inBatches(
    db,
    unnestInsert("Enterprise", [
      ["uscc", "char(18)"],
      ["name", "text"],
      ["registeredAt", "timestamptz"],
      ["registeredBy", "uuid"],
      ["updatedAt", "timestamptz"],
    ]),
    5,
    total,
    (i, push) => {
      // Registered in index order over the last six years, each by the association it is a member of.
      const at = isoTime(registeredSince + Math.floor((i * 5 * 365 * DAY) / total));
      push(usccs[i], enterpriseName(i), at, orgs.associations[i % ASSOCIATIONS.length], at);
    },
    reporter(world, "registry", "enterprises", total),
  );

  // Far beyond the app's three-year cap on purpose: a seeded data set is kept and reused, and must keep its consents.
  const expiresAt = isoTime(now.getTime() + 10 * 365 * DAY);
  await inBatches(
    db,
    unnestInsert("Consent", [
      ["id", "uuid"],
      ["uscc", "char(18)"],
      ["consumerId", "uuid"],
      ["purpose", '"Purpose"'],
      ["grantedAt", "timestamptz"],
      ["expiresAt", "timestamptz"],
    ]),
    6,
    total,
    (i, push) =>
      push(
        randomUUID(),
        usccs[i],
        orgs.bank,
        "LOAN_APPROVAL",
        isoTime(now.getTime() - (1 + (hash(i, 70) % 300)) * DAY),
        expiresAt,
      ),
    reporter(world, "registry", "consents", total),
  );
  return keys;
}

// ---------------------------------------------------------------------------------------------------------------
// Sharing grants (every owner subgraph keeps the same SharingGrant table)

interface Grant {
  ownerId: string;
  consumer: string;
  classes: string[];
  purposes: string[];
}

async function insertGrants(db: pg.Client, grants: Grant[], now: Date): Promise<void> {
  const validFrom = isoTime(now.getTime() - 400 * DAY);
  for (const g of grants)
    await db.query(
      `INSERT INTO "SharingGrant" ("id", "ownerId", "consumerOrganisationId", "classes", "purposes", "validFrom", "createdAt", "createdBy")
        VALUES ($1, $2, $3, $4, $5, $6, $6, $2)`,
      [randomUUID(), g.ownerId, g.consumer, g.classes, g.purposes, validFrom],
    );
}

/** What each owner shares with the banks: by organisation, not by type, since the two banks must differ. */
function bankGrants(ownerId: string, orgs: Organisations): Grant[] {
  return [
    { ownerId, consumer: orgs.bank, classes: ["SHARED", "CONSENT"], purposes: ["LOAN_APPROVAL"] },
    { ownerId, consumer: orgs.bankWithoutConsent, classes: ["SHARED"], purposes: ["LOAN_APPROVAL"] },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// associations

const NEGATIVE_EVENTS = [
  ["PAYMENT", (n: number) => `拖欠上游供应商货款逾期 ${30 + (n % 150)} 天`, "会员企业投诉及核实记录"],
  ["CONTRACT_BREACH", (n: number) => `未按合同约定期限交货，延误 ${5 + (n % 60)} 天`, "合同纠纷调查记录"],
  ["PRODUCT_QUALITY", () => "产品质量监督抽查不合格", "市场监管部门抽检通报"],
  ["ADMINISTRATIVE_PENALTY", (n: number) => `环保行政处罚，罚款 ${1 + (n % 50)} 万元`, "行政处罚决定书"],
  ["JUDICIAL", () => "买卖合同纠纷一审败诉，判决已生效", "人民法院民事判决书"],
  ["TAX", (n: number) => `欠缴增值税 ${2 + (n % 80)} 万元`, "税务机关欠税公告"],
  ["SELF_DISCIPLINE", () => "违反协会自律公约：低于成本价投标", "协会自律委员会决定"],
] as const;

const POSITIVE_EVENTS = [
  ["AWARD", (n: number) => `获评 ${2019 + (n % 6)} 年度行业诚信示范企业`, "协会年度评选决定"],
  ["CERTIFICATION", () => "通过 ISO 9001 质量管理体系认证", "认证机构证书"],
  ["CONTRACT_PERFORMANCE", (n: number) => `年度合同履约率 ${95 + (n % 6)}%`, "协会履约评估报告"],
  ["PAYMENT", (n: number) => `连续 ${12 + (n % 36)} 个月按期支付货款`, "供应商付款评价"],
  ["TAX", () => "纳税信用等级评为 A 级", "税务机关纳税信用公告"],
  ["OTHER", () => "参与起草行业团体标准", "标准化技术委员会公示"],
] as const;

const MEMBERSHIP_COLUMNS = [
  ["id", "uuid"],
  ["ownerId", "uuid"],
  ["uscc", "char(18)"],
  ["status", '"MembershipStatus"'],
  ["level", "text"],
  ["joinedOn", "date"],
  ["createdAt", "timestamptz"],
  ["updatedAt", "timestamptz"],
] as const;

/** The record's columns, then the feed's seq: one array per column, read once by both inserts. */
const RECORD_COLUMNS = [
  ["id", "uuid"],
  ["ownerId", "uuid"],
  ["uscc", "char(18)"],
  ["polarity", '"Polarity"'],
  ["category", '"CreditCategory"'],
  ["summary", "text"],
  ["source", "text"],
  ["occurredOn", "date"],
  ["endedOn", "date"],
  ["evidenceRef", "text"],
  ["disputed", "boolean"],
  ["createdAt", "timestamptz"],
  ["updatedAt", "timestamptz"],
] as const;

/**
 * A new record and its NEW change in the bureau feed, as recordCreditEvent
 * writes them (status ACTIVE, version 1, no revision: revisions are written
 * only by corrections and retractions).
 */
const RECORDS_WITH_CHANGES = `WITH input AS (
    SELECT * FROM unnest(${RECORD_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")}, $${RECORD_COLUMNS.length + 1}::bigint[])
      AS t(${RECORD_COLUMNS.map(([n]) => `"${n}"`).join(", ")}, "seq")
  ), records AS (
    INSERT INTO "CreditRecord" (${RECORD_COLUMNS.map(([n]) => `"${n}"`).join(", ")})
      SELECT ${RECORD_COLUMNS.map(([n]) => `"${n}"`).join(", ")} FROM input
  )
  INSERT INTO "RecordChange" ("seq", "recordId", "ownerId", "uscc", "kind", "at")
    SELECT "seq", "id", "ownerId", "uscc", 'NEW', "createdAt" FROM input`;

interface Dispute {
  recordId: string;
  ownerId: string;
  uscc: string;
  filedAt: number;
}

/** Returns how many changes the bureau's feed holds. */
async function seedAssociations(db: pg.Client, world: World): Promise<number> {
  const { size, orgs, usccs, now } = world;
  const owners = orgs.associations;
  const ownerOf = (e: number) => owners[e % owners.length] as string;
  const nowMs = now.getTime();

  // Every enterprise an active member of one association, joined years before anything was recorded about it.
  await inBatches(
    db,
    unnestInsert("Membership", MEMBERSHIP_COLUMNS),
    MEMBERSHIP_COLUMNS.length,
    size.enterprises,
    (e, push) => {
      const joined = dayOf(nowMs - (4 * 365 + (hash(e, 10) % (10 * 365))) * DAY);
      push(
        randomUUID(),
        ownerOf(e),
        usccs[e],
        "ACTIVE",
        hash(e, 11) % 10 === 0 ? "理事单位" : "会员",
        isoDate(joined),
        isoTime(joined + 9 * 3_600_000),
        isoTime(joined + 9 * 3_600_000),
      );
    },
    reporter(world, "associations", "memberships", size.enterprises),
  );

  // Recorded over the last two years up to a month ago, record j about enterprise j mod E: consecutive records,
  // like consecutive writes, are about different enterprises, and every enterprise gets its even share.
  const firstRecorded = nowMs - 2 * 365 * DAY;
  const recordingSpan = 2 * 365 * DAY - 30 * DAY;
  const disputes: Dispute[] = [];
  const rebuild = await withoutSecondaryIndexes(db, ["CreditRecord", "RecordChange"]);
  await inBatches(
    db,
    RECORDS_WITH_CHANGES,
    RECORD_COLUMNS.length + 1,
    size.records,
    (j, push) => {
      const e = j % size.enterprises;
      const createdAt = firstRecorded + Math.floor((j * recordingSpan) / size.records);
      const negative = hash(j, 20) % 5 === 0;
      const [category, summary, source] = negative
        ? pick(NEGATIVE_EVENTS, hash(j, 21))
        : pick(POSITIVE_EVENTS, hash(j, 21));
      // Within eighteen months before it was recorded: the oldest ends well inside the five years of retention.
      const occurredOn = dayOf(createdAt - (hash(j, 22) % 540) * DAY);
      const ended = hash(j, 23) % 10 < (negative ? 6 : 2);
      const endedOn = ended
        ? occurredOn + (hash(j, 24) % (Math.floor((dayOf(createdAt) - occurredOn) / DAY) + 1)) * DAY
        : null;
      // One negative record in twenty under the enterprise's open objection, filed in the last fortnight.
      const disputed = negative && hash(j, 25) % 20 === 0;
      const id = randomUUID();
      const ownerId = ownerOf(e);
      const filedAt = nowMs - (1 + (hash(j, 26) % 14)) * DAY;
      if (disputed) disputes.push({ recordId: id, ownerId, uscc: usccs[e] as string, filedAt });
      push(
        id,
        ownerId,
        usccs[e],
        negative ? "NEGATIVE" : "POSITIVE",
        category,
        summary(hash(j, 27)),
        source,
        isoDate(occurredOn),
        endedOn === null ? null : isoDate(endedOn),
        hash(j, 28) % 10 < 7 ? `${category.slice(0, 3)}-${isoDate(occurredOn).slice(0, 4)}-${j + 1}` : null,
        disputed,
        isoTime(createdAt),
        isoTime(disputed ? filedAt : createdAt),
        j + 1,
      );
    },
    reporter(world, "associations", "records", size.records),
  );
  await rebuild();
  world.progress("associations: indexes rebuilt");

  // Objections come after every record was written, so their DISPUTED changes follow all the NEW ones, in filing order.
  disputes.sort((a, b) => a.filedAt - b.filedAt);
  await inBatches(
    db,
    `WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::char(18)[], $5::timestamptz[], $6::bigint[])
          AS t("id", "recordId", "ownerId", "uscc", "filedAt", "seq")
      ), objections AS (
        INSERT INTO "Objection" ("id", "recordId", "ownerId", "uscc", "reason", "filedAt", "dueAt", "status")
          SELECT "id", "recordId", "ownerId", "uscc", '记录与事实不符，已提交相关证明材料', "filedAt",
            "filedAt" + interval '20 days', 'OPEN' FROM input
      )
      INSERT INTO "RecordChange" ("seq", "recordId", "ownerId", "uscc", "kind", "at")
        SELECT "seq", "recordId", "ownerId", "uscc", 'DISPUTED', "filedAt" FROM input`,
    6,
    disputes.length,
    (k, push) => {
      const d = disputes[k] as Dispute;
      push(randomUUID(), d.recordId, d.ownerId, d.uscc, isoTime(d.filedAt), size.records + k + 1);
    },
  );
  world.progress(`associations: ${disputes.length} open objections`);

  await seedEvaluations(db, world);
  await insertGrants(
    db,
    owners.flatMap((ownerId) => [
      ...bankGrants(ownerId, orgs),
      { ownerId, consumer: orgs.bureau, classes: ["SHARED"], purposes: ["CREDIT_REPORTING"] },
    ]),
    now,
  );
  return size.records + disputes.length;
}

const INDICATORS = [
  { code: "FIN", name: "财务状况", weight: 0.3, description: "偿债能力、盈利能力、现金流" },
  { code: "PAY", name: "履约付款", weight: 0.3, description: "合同履约与按期付款" },
  { code: "QUA", name: "产品质量", weight: 0.2, description: "抽检合格率与质量投诉" },
  { code: "CMP", name: "合规与自律", weight: 0.2, description: "行政处罚、行业自律记录" },
];

/**
 * A valid evaluation for one enterprise in five, under its association's
 * published methodology, with certificate numbers as evaluateMember assigns
 * them: the public lookup then finds a grade as often as it would in life.
 */
async function seedEvaluations(db: pg.Client, world: World): Promise<void> {
  const { size, orgs, usccs, now } = world;
  const owners = orgs.associations;
  const published = isoTime(now.getTime() - 1000 * DAY);
  const methodologies = owners.map(() => randomUUID());
  for (const [i, ownerId] of owners.entries()) {
    await db.query(`INSERT INTO "EvaluatorCode" ("ownerId", "code", "assignedAt") VALUES ($1, $2, $3)`, [
      ownerId,
      String(101 + i),
      published,
    ]);
    await db.query(
      `INSERT INTO "EvaluationMethodology" ("id", "ownerId", "version", "title", "indicators", "gradeFloors", "publishedAt")
        VALUES ($1, $2, 1, $3, $4, $5, $6)`,
      [
        methodologies[i],
        ownerId,
        `${ASSOCIATIONS[i]?.replace(" (bench)", "")}会员企业信用评价办法`,
        JSON.stringify(INDICATORS),
        JSON.stringify(DEFAULT_GRADE_FLOORS),
        published,
      ],
    );
  }

  const serials = new Map<string, number>();
  const evaluated = Array.from({ length: Math.ceil(size.enterprises / 5) }, (_, k) => k * 5);
  await inBatches(
    db,
    unnestInsert("Evaluation", [
      ["id", "uuid"],
      ["ownerId", "uuid"],
      ["uscc", "char(18)"],
      ["methodologyId", "uuid"],
      ["scores", "jsonb"],
      ["total", "float8"],
      ["grade", "text"],
      ["certificateNumber", "char(15)"],
      ["issuedOn", "date"],
      ["validUntil", "date"],
      ["status", '"EvaluationStatus"'],
      ["createdAt", "timestamptz"],
    ]),
    12,
    evaluated.length,
    (k, push) => {
      const e = evaluated[k] as number;
      const owner = e % owners.length;
      // One evaluated member in fifteen is weak enough for a C-tier grade, which a standing check reports.
      const floor = hash(e, 29) % 15 === 0 ? 5 : 45;
      const scores = INDICATORS.map((ind, n) => ({ indicator: ind.code, score: floor + (hash(e, 30 + n) % 56) }));
      const total =
        Math.round(scores.reduce((sum, s, n) => sum + (INDICATORS[n]?.weight ?? 0) * s.score, 0) * 100) / 100;
      const grade: Grade = gradeFor(total);
      // Issued within the last thirty months: all still inside their three years of validity.
      const issuedOn = dayOf(now.getTime() - (hash(e, 35) % 900) * DAY);
      const year = new Date(issuedOn).getUTCFullYear();
      const serialKey = `${owner}/${year}`;
      const serial = (serials.get(serialKey) ?? 0) + 1;
      serials.set(serialKey, serial);
      push(
        randomUUID(),
        owners[owner],
        usccs[e],
        methodologies[owner],
        JSON.stringify(scores),
        total,
        grade,
        certificateNumber(year, String(101 + owner), grade, serial),
        isoDate(issuedOn),
        isoDate(evaluationValidUntil(new Date(issuedOn)).getTime()),
        "VALID",
        isoTime(issuedOn + 10 * 3_600_000),
      );
    },
    reporter(world, "associations", "evaluations", evaluated.length),
  );
  // The next certificate an association issues continues each year's numbering.
  for (const [key, last] of serials) {
    const [owner, year] = key.split("/").map(Number) as [number, number];
    await db.query(`INSERT INTO "CertificateSerial" ("ownerId", "year", "last") VALUES ($1, $2, $3)`, [
      owners[owner],
      year,
      last,
    ]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// industry

/**
 * Every enterprise's payment punctuality for last year (so every standing has
 * a trading part with a ratio), and for one in twenty a trade dispute as well.
 */
async function seedIndustry(db: pg.Client, world: World): Promise<void> {
  const { size, orgs, usccs, now } = world;
  const lastYear = now.getUTCFullYear() - 1;
  const recordedAt = isoTime(Date.UTC(lastYear + 1, 0, 20, 9));
  const total = size.enterprises;
  await inBatches(
    db,
    unnestInsert("TradeRecord", [
      ["id", "uuid"],
      ["ownerId", "uuid"],
      ["uscc", "char(18)"],
      ["kind", '"TradeRecordKind"'],
      ["periodStart", "date"],
      ["periodEnd", "date"],
      ["onTimeRatio", "float8"],
      ["mediationOutcome", '"MediationOutcome"'],
      ["counterparty", "text"],
      ["detail", "text"],
      ["createdAt", "timestamptz"],
    ]),
    11,
    total,
    (e, push) => {
      // Most pay on time; one in seven falls below the 90% that makes a concern.
      const late = hash(e, 40) % 7 === 0;
      const ratio = (late ? 500 + (hash(e, 41) % 400) : 900 + (hash(e, 41) % 101)) / 1000;
      push(
        randomUUID(),
        orgs.industryBody,
        usccs[e],
        "PAYMENT",
        `${lastYear}-01-01`,
        `${lastYear}-12-31`,
        ratio,
        null,
        `上游钢材供应商 ${1 + (hash(e, 42) % 400)} 号`,
        `${lastYear} 年对上游供应商付款 ${Math.round(ratio * 100)}% 按期`,
        recordedAt,
      );
    },
    reporter(world, "industry", "trade records", total),
  );
  const disputed = Array.from({ length: Math.ceil((total - 7) / 20) }, (_, k) => 7 + k * 20).filter((e) => e < total);
  await inBatches(
    db,
    unnestInsert("TradeRecord", [
      ["id", "uuid"],
      ["ownerId", "uuid"],
      ["uscc", "char(18)"],
      ["kind", '"TradeRecordKind"'],
      ["periodStart", "date"],
      ["periodEnd", "date"],
      ["mediationOutcome", '"MediationOutcome"'],
      ["counterparty", "text"],
      ["detail", "text"],
      ["createdAt", "timestamptz"],
    ]),
    10,
    disputed.length,
    (k, push) => {
      const e = disputed[k] as number;
      const opened = dayOf(now.getTime() - (30 + (hash(e, 43) % 300)) * DAY);
      push(
        randomUUID(),
        orgs.industryBody,
        usccs[e],
        "DISPUTE",
        isoDate(opened),
        isoDate(opened + 60 * DAY),
        pick(["PENDING", "PENDING", "SETTLED", "NOT_SETTLED"], hash(e, 44)),
        `下游客户 ${1 + (hash(e, 45) % 400)} 号`,
        "货款结算纠纷，提请联合会调解",
        isoTime(opened + 9 * 3_600_000),
      );
    },
  );
  world.progress(`industry: ${disputed.length} trade disputes`);
  await insertGrants(db, bankGrants(orgs.industryBody, orgs), now);
}

// ---------------------------------------------------------------------------------------------------------------
// bureaus

const BUREAU_NEGATIVE = [
  ["JUDGMENT", "买卖合同纠纷败诉，判决已履行", "裁判文书网"],
  ["ENFORCEMENT", "被列为被执行人，执行标的已结清", "中国执行信息公开网"],
  ["TAX_ARREARS", "欠缴税款，已补缴", "税务机关欠税公告"],
  ["ADMINISTRATIVE_PENALTY", "安全生产行政处罚", "地方应急管理局公示"],
] as const;
const BUREAU_POSITIVE = [
  ["HONOUR", "获评守合同重信用企业", "市场监管部门公示"],
  ["CERTIFICATION", "高新技术企业认定", "科技部门认定公告"],
  ["TAX_CREDIT", "纳税信用 A 级纳税人", "税务机关纳税信用公告"],
] as const;

/** One bureau record for every second enterprise, one in four of them negative. */
async function seedBureaus(db: pg.Client, world: World): Promise<void> {
  const { size, orgs, usccs, now } = world;
  const covered = Math.ceil(size.enterprises / 2);
  await inBatches(
    db,
    unnestInsert("BureauRecord", [
      ["id", "uuid"],
      ["ownerId", "uuid"],
      ["uscc", "char(18)"],
      ["polarity", '"BureauPolarity"'],
      ["category", "text"],
      ["summary", "text"],
      ["source", "text"],
      ["occurredOn", "date"],
      ["endedOn", "date"],
      ["createdAt", "timestamptz"],
    ]),
    10,
    covered,
    (k, push) => {
      const e = k * 2;
      const negative = hash(e, 50) % 4 === 0;
      const [category, summary, source] = negative
        ? pick(BUREAU_NEGATIVE, hash(e, 51))
        : pick(BUREAU_POSITIVE, hash(e, 51));
      // Within the last three years; a negative one ended (if it did) inside the five years of retention.
      const occurredOn = dayOf(now.getTime() - (30 + (hash(e, 52) % 1000)) * DAY);
      const endedOn = negative && hash(e, 53) % 2 === 0 ? occurredOn + (hash(e, 54) % 30) * DAY : null;
      push(
        randomUUID(),
        orgs.bureau,
        usccs[e],
        negative ? "NEGATIVE" : "POSITIVE",
        category,
        summary,
        source,
        isoDate(occurredOn),
        endedOn === null ? null : isoDate(endedOn),
        isoTime(occurredOn + 3 * DAY),
      );
    },
    reporter(world, "bureaus", "bureau records", covered),
  );
  await insertGrants(db, bankGrants(orgs.bureau, orgs), now);
}
