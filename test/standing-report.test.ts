import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPORT_NUMBER } from "../subgraphs/registry/report/document.ts";
import { cli } from "./support/cli.ts";
import { associationsDb, sharedTestHub, type TestHub } from "./support/hub.ts";
import { pdfText } from "./support/pdf.ts";
import { giveConsent, grant, memberWithRecord } from "./support/scenes.ts";

/**
 * The standing report a credit officer files: numbered by the registry, each
 * owner's part signed by that owner with the audit entry it logged the
 * release under, the whole signed by the registry; checked and printed
 * offline with the hub's published keys.
 */

let t: TestHub;
beforeAll(async () => {
  t = await sharedTestHub();
});

const REPORT = /* GraphQL */ `
  query ($u: USCC!) {
    standingReport(uscc: $u, purpose: LOAN_APPROVAL) {
      number
      madeAt
      enterprise { name }
      goodStanding
      document
      pdf
      english: pdf(language: EN)
    }
  }
`;
const KEYS = /* GraphQL */ `
  { registryAuditPublicKey associationsAuditPublicKey industryAuditPublicKey bureausAuditPublicKey }
`;

type Report = {
  number: string;
  enterprise: { name: string };
  goodStanding: boolean | null;
  document: string;
  pdf: string;
  english: string;
};

/** A member with a negative record, the enterprise's consent to a bank its association grants CONSENT data to. */
async function scene({ consent = true } = {}) {
  const member = await memberWithRecord(t);
  const enterprise = await t.organisation("ENTERPRISE", { uscc: member.uscc });
  const bank = await t.organisation("FINANCIAL");
  await grant(t, member.association.key, { consumerOrganisationId: bank.id });
  if (consent) await giveConsent(t, enterprise.key, bank.id);
  const report = () =>
    t.query<{ standingReport: Report }>(REPORT, { u: member.uscc }, { apiKey: bank.key, purpose: "LOAN_APPROVAL" });
  return { member, bank, report };
}

/** The report and the published keys as files, as the credit officer saves them. */
async function saved(document: string) {
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  const keys = await t.query(KEYS, {});
  const files = { report: join(dir, "report.json"), keys: join(dir, "keys.json"), pdf: join(dir, "report.pdf") };
  writeFileSync(files.report, document);
  writeFileSync(files.keys, JSON.stringify(keys));
  return files;
}

describe("standing report", () => {
  it("when a consented bank asks for a report, then it gets a numbered JSON and PDF whose owner parts cite the audit entries they were logged under, and it verifies offline", async () => {
    const { member, bank, report } = await scene();
    const r = await report();
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const made = r.data?.standingReport as Report;
    expect(made.number).toMatch(REPORT_NUMBER);
    expect(made.goodStanding).toBe(false);
    const document = JSON.parse(made.document) as { number: string; parts: Record<string, string | null> };
    expect(document.number).toBe(made.number);

    // The association's part names the entry in its own chain under which it logged this release.
    const [, body] = (document.parts.associations as string).split(".");
    const part = JSON.parse(Buffer.from(body as string, "base64url").toString("utf8")) as {
      jti: string;
      aud: string;
      findings: { code: string }[];
      releases: { ownerId: string; seq: string; hash: string }[];
    };
    expect(part).toMatchObject({ jti: made.number, aud: bank.id });
    expect(part.findings.map((f) => f.code)).toEqual(["NEGATIVE_RECORD"]);
    expect(part.releases).toHaveLength(1);
    const [release] = part.releases;
    const entry = await associationsDb(t).auditEntry.findUnique({ where: { seq: BigInt(release?.seq ?? 0) } });
    expect(entry).toMatchObject({
      hash: release?.hash,
      ownerId: member.association.id,
      uscc: member.uscc,
      callerId: bank.id,
      decision: "RELEASED",
      fields: ["StandingReport.associationsPart"],
    });
    expect((entry?.detail as { consentId?: string } | undefined)?.consentId).toMatch(/^[0-9a-f-]{36}$/);

    const files = await saved(made.document);
    const verified = await cli(["report", "verify", files.report, "--keys", files.keys]);
    expect(verified.stderr).toBe("");
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/✓ header: signed by the registry/);
    expect(verified.stdout).toMatch(
      new RegExp(`✓ associations: signed by associations, unchanged; audit entries #${release?.seq}`),
    );
    expect(verified.stdout).toMatch(/✓ bureaus: /);
    expect(verified.stdout).toMatch(new RegExp(`Report verified: ${made.number}`));

    // The PDF carries the number and the enterprise's Chinese name as text, in both languages.
    const zh = await pdfText(Buffer.from(made.pdf, "base64"));
    expect(zh).toContain(made.number);
    expect(zh).toContain(made.enterprise.name);
    expect(zh).toContain("企业信用状况报告");
    const en = await pdfText(Buffer.from(made.english, "base64"));
    expect(en).toContain(made.number);
    expect(en).toContain("Enterprise Credit Standing Report");
    // And offline, from the verified file.
    const printed = await cli(["report", "pdf", files.report, "--keys", files.keys, "--out", files.pdf]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(await pdfText(readFileSync(files.pdf))).toContain(made.number);
  });

  it("when one byte of an owner's part or of the header is changed, or a part is dropped, then verification fails naming that piece", async () => {
    const { report } = await scene();
    const made = (await report()).data?.standingReport as Report;
    const document = JSON.parse(made.document) as { header: string; parts: Record<string, string | null> };
    const flip = (jws: string) => {
      const [head, body, signature] = jws.split(".") as [string, string, string];
      const bytes = Buffer.from(body, "base64url");
      bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 1;
      return [head, bytes.toString("base64url"), signature].join(".");
    };
    const check = async (changed: unknown) => {
      const files = await saved(JSON.stringify(changed));
      return cli(["report", "verify", files.report, "--keys", files.keys]);
    };

    const part = await check({
      ...document,
      parts: { ...document.parts, associations: flip(document.parts.associations as string) },
    });
    expect(part.code).toBe(1);
    expect(part.stdout).toMatch(/✓ header/);
    expect(part.stdout).toMatch(/✗ associations: changed/);
    expect(part.stderr).toMatch(/Report NOT verified: associations failed/);

    const header = await check({ ...document, header: flip(document.header) });
    expect(header.code).toBe(1);
    expect(header.stdout).toMatch(/✗ header: /);

    const { associations: _dropped, ...rest } = document.parts;
    const dropped = await check({ ...document, parts: rest });
    expect(dropped.stdout).toMatch(/✗ associations: missing/);

    const unprinted = await (async () => {
      const files = await saved(JSON.stringify({ ...document, header: flip(document.header) }));
      return cli(["report", "pdf", files.report, "--keys", files.keys, "--out", files.pdf]);
    })();
    expect(unprinted.code).toBe(1);
    expect(unprinted.stderr).toMatch(/not printed/);
  });

  it("when the enterprise has not consented, then the report is made with the association's part withheld, no verdict, and it still verifies", async () => {
    const { report } = await scene({ consent: false });
    const r = await report();
    expect(r.errors).toBeUndefined();
    const made = r.data?.standingReport as Report;
    expect(made.goodStanding).toBeNull();
    const document = JSON.parse(made.document) as { header: string; parts: Record<string, string | null> };
    expect(document.parts.associations).toBeNull();
    // The header says what was not weighed, so the filed report cannot be read as a clean one.
    const [, body] = document.header.split(".");
    const header = JSON.parse(Buffer.from(body as string, "base64url").toString("utf8")) as {
      concerns: { code: string; messageEn: string }[];
    };
    expect(header.concerns).toEqual([
      expect.objectContaining({
        code: "NOT_WEIGHED",
        messageEn: "Not weighed: the associations' credit files are withheld from you.",
      }),
    ]);
    const files = await saved(made.document);
    const verified = await cli(["report", "verify", files.report, "--keys", files.keys]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/✓ associations: withheld from the requester/);
  });
});
