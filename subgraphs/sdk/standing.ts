import { badInput, forbidden } from "../../protocol/errors.ts";
import { type AccessNote, type DenialCode, decide, noteOf, type RequestAccess } from "./access.ts";
import { type createSubgraphBuilder, purposeEnum } from "./builder.ts";
import { requireOrganisation, type SubgraphContext } from "./context.ts";
import type { ReleasedFinding, StandingAssessment } from "./findings.ts";
import { requestLoader } from "./loaders.ts";
import { type PermissionTable, rules } from "./permissions.ts";
import { REPORT_PART_TYPE, type ReportKey, type ReportPartPayload } from "./report-part.ts";
import { isoDate } from "./validation.ts";

/**
 * The bank's standing check, as one entity every owner subgraph adds to:
 * `Standing @key(fields: "uscc purpose")`. The registry answers `standing` and
 * `standings` and gives the verdict; each owner adds a summary of what it holds
 * (each field under the owner's classes) and its *findings*, the facts the
 * registry's verdict and a bank's programmes `@requires`. Findings are
 * released only when the caller may see the CONSENT data of every owner they
 * draw on, so a verdict never rests on, or leaks, data the bank could not see
 * itself.
 */
export interface StandingKey {
  uscc: string;
  purpose: string;
}

type Builder<Db> = ReturnType<typeof createSubgraphBuilder<Db>>;

/** The subgraph's `Standing` entity: the key, and the rule that only banks' and insurers' staff reach it. */
export function standingEntity<Db>(builder: Builder<Db>) {
  const Purpose = purposeEnum(builder);
  const Standing = builder.objectRef<StandingKey>("Standing");
  Standing.implement({
    description:
      "A bank's standing check of one enterprise for one purpose: what each owner holds, and the hub's verdict.",
    fields: (t) => ({
      uscc: t.field({ type: "USCC", nullable: false, resolve: (s) => s.uscc }),
      purpose: t.field({ type: Purpose, nullable: false, resolve: (s) => s.purpose as never }),
    }),
  });
  builder.asEntity(Standing, {
    key: builder.selection<StandingKey>("uscc purpose"),
    resolveReference: (key, { access }) => standingKey(key, access),
  });
  const Report = builder.objectRef<ReportKey>("StandingReport");
  Report.implement({
    description:
      "A standing report a bank can file: numbered by the registry, each owner's part signed by that owner, the whole signed by the registry.",
    fields: (t) => ({
      number: t.exposeString("number", { nullable: false }),
      uscc: t.field({ type: "USCC", nullable: false, resolve: (r) => r.uscc }),
      purpose: t.field({ type: Purpose, nullable: false, resolve: (r) => r.purpose as never }),
    }),
  });
  builder.asEntity(Report, {
    key: builder.selection<ReportKey>("number uscc purpose"),
    resolveReference: (key, { access }) => standingKey(key, access),
  });
  const bankStaff = rules.staffOf("FINANCIAL");
  const permissions: PermissionTable = {
    Standing: { "*": bankStaff },
    StandingFinding: { "*": bankStaff },
    StandingReport: { "*": bankStaff },
  };
  return { Standing, Report, permissions, Finding: findingType(builder) };
}

/**
 * `StandingFinding`, the same value type in every subgraph that releases
 * findings and in the registry that weighs them (hence shareable).
 */
export function findingType<Db>(builder: Builder<Db>) {
  const shareable = { shareable: true } as const;
  return builder.objectRef<ReleasedFinding>("StandingFinding").implement({
    description:
      "One thing an owner's records say about the enterprise: a stable code for programs, a message for people (Chinese, and English).",
    fields: (t) => ({
      code: t.exposeString("code", { ...shareable, description: "Stable; see the README's list of finding codes." }),
      ownerId: t.exposeID("ownerId", { ...shareable, description: "The organisation whose records say it." }),
      adverse: t.exposeBoolean("adverse", { ...shareable, description: "True when it weighs against the verdict." }),
      value: t.float({
        nullable: true,
        ...shareable,
        description: "A count or a ratio, where the finding has one.",
        resolve: (f) => f.value ?? null,
      }),
      label: t.string({
        nullable: true,
        ...shareable,
        description: "A grade, a sanction level, a list, categories, where the finding has one.",
        resolve: (f) => f.label ?? null,
      }),
      since: t.field({ type: "Date", nullable: true, ...shareable, resolve: (f) => f.since ?? null }),
      message: t.exposeString("message", shareable),
      messageEn: t.exposeString("messageEn", shareable),
    }),
  });
}

/**
 * A standing is asked for one purpose, the one the caller states for the
 * whole request (x-purpose): grants and consents are matched against that.
 */
export function standingKey<K extends StandingKey>(key: K, access: Pick<RequestAccess, "purpose">): K {
  if (!access.purpose)
    throw badInput(
      `State your purpose in x-purpose; it must be the purpose you ask the standing for (${key.purpose}).`,
    );
  if (key.purpose !== access.purpose)
    throw badInput(
      `The standing's purpose (${key.purpose}) must be the purpose stated in x-purpose (${access.purpose}).`,
    );
  return key;
}

/**
 * Adds `Standing.<field>: [StandingFinding!]`: this subgraph's findings about
 * the enterprise. `assess` gets every USCC of the request at once (one batch,
 * so the SQL does not grow with the number of standings) and returns, per
 * USCC, the findings drawn from public facts and one entry per owner holding
 * non-public data about it (an owner with nothing on file is not asked).
 */
export function addStandingFindings<Db>(
  builder: Builder<Db>,
  entity: ReturnType<typeof standingEntity<Db>>,
  options: {
    /** The subgraph's name: its fields are `Standing.<name>Findings` and `StandingReport.<name>Part`. */
    name: string;
    description: string;
    assess: (usccs: readonly string[], context: SubgraphContext<Db>) => Promise<StandingAssessment[]>;
  },
) {
  const field = `${options.name}Findings`;
  const assessed = (context: SubgraphContext<Db>, uscc: string) =>
    requestLoader(context.loaders, `standing:${field}`, (usccs: readonly string[]) =>
      options.assess(usccs, context),
    ).load(uscc);
  builder.objectField(entity.Report, `${options.name}Part`, (t) =>
    t.string({
      nullable: true,
      description: `This owner's part of the report: its findings and the audit entries it logged the release under, as a JWS (typ ${REPORT_PART_TYPE}) signed with ${options.name}AuditPublicKey's key for you. FORBIDDEN as its findings are.`,
      resolve: async (report, _args, context) => {
        const decisions: AccessNote[] = [];
        let findings: ReleasedFinding[];
        try {
          findings = await releasedFindings(
            await assessed(context, report.uscc),
            report.uscc,
            `StandingReport.${options.name}Part`,
            context,
            (note) => decisions.push(note),
          );
        } catch (error) {
          // A refusal is logged with the rest of the request's decisions.
          for (const note of decisions) context.access.note(note);
          throw error;
        }
        const released = await context.recordReleases(decisions);
        const requester = requireOrganisation(context.caller).organisationId;
        const payload: ReportPartPayload = {
          number: report.number,
          uscc: report.uscc,
          purpose: report.purpose,
          findings: findings.map((f) => ({ ...f, since: f.since ? isoDate(f.since) : null })),
          releases: released.map((r) => ({ ownerId: r.ownerId ?? "", seq: r.seq.toString(), hash: r.hash })),
        };
        return context.signatures.sign(payload, requester, { type: REPORT_PART_TYPE, id: report.number });
      },
    }),
  );
  builder.objectField(entity.Standing, field, (t) =>
    t.field({
      type: [entity.Finding],
      nullable: true,
      description: `${options.description} Empty when there is nothing to say; FORBIDDEN unless every owner it draws on lets you see its CONSENT data for this purpose.`,
      resolve: async ({ uscc }, _args, context) =>
        releasedFindings(await assessed(context, uscc), uscc, `Standing.${field}`, context, (note) =>
          context.access.note(note),
        ),
    }),
  );
}

/**
 * Every finding of an assessment, once each owner holding non-public data has
 * let the caller see its CONSENT data (each decision noted for the owner's
 * audit log); FORBIDDEN, with the code the caller can act on, otherwise.
 */
export async function releasedFindings<Db>(
  { public: open, owners }: StandingAssessment,
  uscc: string,
  field: string,
  context: SubgraphContext<Db>,
  note: (decision: AccessNote) => void,
): Promise<ReleasedFinding[]> {
  const denials: { ownerId: string; reason: string; code: DenialCode }[] = [];
  for (const { ownerId } of owners) {
    const subject = { ownerId, uscc };
    const decision = await decide("CONSENT", subject, context.access);
    note(noteOf(subject, field, decision));
    if (!decision.allowed) denials.push({ ownerId, ...decision });
  }
  const [first] = denials;
  if (first)
    throw forbidden(
      `${owners.length} 个数据保管机构中有 ${denials.length} 个不允许您查看 / ${denials.length} of ${owners.length} owners holding data about ${uscc} do not let you see it: ${denials.map((d) => `${d.ownerId}: ${d.reason}`).join(" ")}`,
      // One code for the whole refusal: a missing consent is what the caller can most often put right.
      denials.some((d) => d.code === "CONSENT_MISSING") ? "CONSENT_MISSING" : first.code,
    );
  return [...open, ...owners].flatMap(({ ownerId, findings }) => findings.map((f) => ({ ...f, ownerId })));
}
