import { z } from "zod";
import {
  GRADES,
  type Grade,
  gradeAtLeast,
  levelAtLeast,
  SANCTION_LEVELS,
  type SanctionLevel,
} from "../../../protocol/credit-terms.ts";

/**
 * A bank's preferential programme: criteria over the findings the owners
 * release in a standing check, weighed for each enterprise the bank checks.
 * The criteria are a small closed language (one kind each, validated with
 * zod where they come in), so a stored programme always means one thing and
 * an unmet criterion can say exactly why.
 */

/** Warnings stay between an association and its member; a programme cannot ask about them. */
const SHARED_LEVELS = SANCTION_LEVELS.filter((l) => l !== "WARNING") as [SanctionLevel, ...SanctionLevel[]];

const criterion = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("GRADE_AT_LEAST"), grade: z.enum(GRADES) }),
  z.strictObject({ kind: z.literal("ON_RED_LIST") }),
  z.strictObject({
    kind: z.literal("NO_SANCTION_AT_LEAST"),
    level: z.enum(SHARED_LEVELS),
    withinYears: z.int().min(1).max(10),
  }),
  z.strictObject({ kind: z.literal("NO_OPEN_DISPUTE") }),
  z.strictObject({ kind: z.literal("ON_TIME_RATIO_AT_LEAST"), ratio: z.number().gt(0).max(1) }),
  z.strictObject({ kind: z.literal("NOTHING_ADVERSE") }),
]);
export type Criterion = z.infer<typeof criterion>;
export const CRITERION_KINDS = criterion.options.map((o) => o.shape.kind.value);

/** What each kind asks, and which values it takes: the API's description of the kinds. */
export const CRITERION_KIND_DOCS: Record<Criterion["kind"], string> = {
  GRADE_AT_LEAST: "A valid credit evaluation of `grade` or better.",
  ON_RED_LIST: "On an association's red list.",
  NO_SANCTION_AT_LEAST: "No sanction of `level` or above, decided in the last `withinYears` years, in force.",
  NO_OPEN_DISPUTE: "No trade dispute in or after mediation, no record under the enterprise's unanswered objection.",
  ON_TIME_RATIO_AT_LEAST: "Every industry body's latest share of payments on time is at least `ratio`.",
  NOTHING_ADVERSE: "No owner holds anything adverse.",
};

export const MAX_CRITERIA = 20;
const criteriaSchema = z.array(criterion).min(1).max(MAX_CRITERIA);

/** The criteria as given (absent fields dropped), or what is wrong with them, each problem with its place. */
export function parseCriteria(
  input: readonly Record<string, unknown>[],
): { criteria: Criterion[] } | { problem: string } {
  const cleaned = input.map((c) =>
    Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined)),
  );
  const parsed = criteriaSchema.safeParse(cleaned);
  if (parsed.success) return { criteria: parsed.data };
  return {
    problem: parsed.error.issues
      .slice(0, 5)
      .map(
        (i) =>
          `criteria${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${i.message}`,
      )
      .join("; "),
  };
}

/** What a criterion asks, for people. */
export function describeCriterion(c: Criterion): { zh: string; en: string } {
  switch (c.kind) {
    case "GRADE_AT_LEAST":
      return { zh: `有效信用等级 ${c.grade} 级及以上`, en: `A valid credit grade of ${c.grade} or better` };
    case "ON_RED_LIST":
      return { zh: "列入行业协会红名单", en: "On an association's red list" };
    case "NO_SANCTION_AT_LEAST":
      return {
        zh: `${c.withinYears} 年内无 ${c.level} 及以上的有效惩戒`,
        en: `No sanction of ${c.level} or above in force from the last ${c.withinYears} year(s)`,
      };
    case "NO_OPEN_DISPUTE":
      return { zh: "无未决纠纷或未答复的异议", en: "No open trade dispute or unanswered objection" };
    case "ON_TIME_RATIO_AT_LEAST":
      return {
        zh: `按时付款比例不低于 ${percent(c.ratio)}`,
        en: `At least ${percent(c.ratio)} of payments on time`,
      };
    case "NOTHING_ADVERSE":
      return { zh: "各数据保管机构均无不良信息", en: "Nothing adverse in any owner's records" };
  }
}

/** What the weighing reads of a finding (the representation's `since` is a YYYY-MM-DD string). */
export interface FindingFacts {
  code: string;
  adverse: boolean;
  value?: number | null;
  label?: string | null;
  since?: string | Date | null;
}

export interface Unmet {
  /** The criterion's kind. */
  criterion: Criterion["kind"];
  /** Why it is unmet: stable, for programs. */
  code: string;
  message: string;
  messageEn: string;
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;
const DISPUTES = new Set(["TRADE_DISPUTE", "UNSETTLED_DISPUTE", "OPEN_OBJECTION"]);

/** Unmet for want of a fact: a part withheld from the bank might hold it, so these do not count then. */
const FOR_WANT_OF = new Set(["NO_GRADE", "NOT_ON_RED_LIST", "NO_PAYMENT_RECORD"]);

/**
 * Whether an enterprise qualifies: not when a criterion is unmet by what the
 * bank may see; undecided (null) when nothing visible fails it but a part is
 * withheld, each withheld part then named as NOT_WEIGHED instead of the
 * criteria it might have met.
 */
export function eligibility(
  criteria: readonly Criterion[],
  findings: readonly FindingFacts[],
  withheld: readonly string[],
  now: Date,
): { eligible: boolean | null; unmet: Unmet[] } {
  const unmet = unmetCriteria(criteria, findings, now);
  if (!withheld.length) return { eligible: unmet.length === 0, unmet };
  const failed = unmet.filter((u) => !FOR_WANT_OF.has(u.code));
  if (failed.length) return { eligible: false, unmet: failed };
  return {
    eligible: null,
    unmet: withheld.map((part) => ({
      criterion: criteria[0]?.kind ?? "NOTHING_ADVERSE",
      code: "NOT_WEIGHED",
      message: `「${part}」未向您开放，无法判断`,
      messageEn: `The ${part} are withheld from you, so this cannot be judged.`,
    })),
  };
}

/** The criteria the findings leave unmet (empty: eligible). */
export function unmetCriteria(criteria: readonly Criterion[], findings: readonly FindingFacts[], now: Date): Unmet[] {
  return criteria.flatMap((c) => unmetBy(c, findings, now));
}

function unmetBy(c: Criterion, findings: readonly FindingFacts[], now: Date): Unmet[] {
  const unmet = (code: string, message: string, messageEn: string): Unmet[] => [
    { criterion: c.kind, code, message, messageEn },
  ];
  switch (c.kind) {
    case "GRADE_AT_LEAST": {
      const grades = findings
        .filter((f) => f.code === "GRADE" || f.code === "LOW_GRADE")
        .map((f) => f.label)
        .filter((g): g is Grade => (GRADES as readonly unknown[]).includes(g));
      if (grades.some((g) => gradeAtLeast(g, c.grade))) return [];
      const has = grades.length ? grades.join(", ") : null;
      return unmet(
        has ? "GRADE_BELOW" : "NO_GRADE",
        has ? `信用等级 ${has} 低于 ${c.grade}` : "无有效信用等级",
        has ? `Credit grade ${has} is below ${c.grade}.` : "No valid credit grade.",
      );
    }
    case "ON_RED_LIST":
      return findings.some((f) => f.code === "RED_LIST")
        ? []
        : unmet("NOT_ON_RED_LIST", "未列入红名单", "Not on any association's red list.");
    case "NO_SANCTION_AT_LEAST": {
      const from = new Date(now);
      from.setUTCFullYear(from.getUTCFullYear() - c.withinYears);
      const hits = findings.filter(
        (f) =>
          f.code === "ACTIVE_SANCTION" &&
          (SANCTION_LEVELS as readonly unknown[]).includes(f.label) &&
          levelAtLeast(f.label as SanctionLevel, c.level) &&
          (f.since == null || new Date(f.since) >= from),
      );
      return hits.length
        ? unmet(
            "SANCTIONED",
            `${c.withinYears} 年内受到惩戒：${hits.map((f) => f.label).join("、")}`,
            `Sanctioned within ${c.withinYears} year(s): ${hits.map((f) => f.label).join(", ")}.`,
          )
        : [];
    }
    case "NO_OPEN_DISPUTE": {
      const open = findings.filter((f) => DISPUTES.has(f.code)).reduce((n, f) => n + (f.value ?? 1), 0);
      return open
        ? unmet("OPEN_DISPUTE", `有 ${open} 项未决纠纷或异议`, `${open} open dispute(s) or objection(s).`)
        : [];
    }
    case "ON_TIME_RATIO_AT_LEAST": {
      const ratios = findings
        .filter((f) => f.code === "ON_TIME_PAYMENTS" || f.code === "LATE_PAYMENTS")
        .map((f) => f.value)
        .filter((v): v is number => typeof v === "number");
      if (!ratios.length) return unmet("NO_PAYMENT_RECORD", "无付款记录可供判断", "No payment record to judge by.");
      const lowest = Math.min(...ratios);
      return lowest >= c.ratio
        ? []
        : unmet(
            "LATE_PAYMENTS",
            `按时付款比例 ${percent(lowest)}，低于 ${percent(c.ratio)}`,
            `${percent(lowest)} of payments on time, below ${percent(c.ratio)}.`,
          );
    }
    case "NOTHING_ADVERSE": {
      const adverse = findings.filter((f) => f.adverse);
      return adverse.length
        ? unmet(
            "ADVERSE_FACTS",
            `有 ${adverse.length} 项不良信息`,
            `${adverse.length} adverse finding(s): ${[...new Set(adverse.map((f) => f.code))].join(", ")}.`,
          )
        : [];
    }
  }
}
