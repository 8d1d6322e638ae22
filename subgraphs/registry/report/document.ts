import { createHash } from "node:crypto";
import { errors, importJWK, type JWK, jwtVerify } from "jose";
import { REPORT_PART_TYPE, type ReportPartPayload } from "../../sdk/report-part.ts";
import type { ReportView } from "./view.ts";

/**
 * A standing report as the bank files it: the registry's signed header (the
 * number, who asked about whom and when, the consent, the verdict, and the
 * digest of every owner's part) and each owner's signed part. Checking one
 * needs only the published keys: the registry's for the header, each
 * owner's for its part; a changed byte anywhere fails the piece it is in.
 */
export const REPORT_TYPE = "standing-report+jwt";
export const REPORT_FORMAT = "credit-hub/standing-report@1";

export interface ReportHeader extends Record<string, unknown> {
  number: string;
  madeAt: string;
  purpose: string;
  requester: { id: string; name: string };
  enterprise: { uscc: string; name: string | null };
  consent: { id: string; expiresAt: string } | null;
  goodStanding: boolean | null;
  concerns: { code: string; ownerId: string | null; message: string; messageEn: string }[];
  programmes: ReportView["programmes"][number][];
  /** Every owner part the report weighs: its digest (SHA-256 of the JWS, hex), or null when it was withheld. */
  parts: { subgraph: string; part: string; digest: string | null }[];
  /** The names of the organisations the parts cite, by id. */
  owners: Record<string, string>;
}

/** The file a bank keeps. */
export interface ReportDocument {
  format: typeof REPORT_FORMAT;
  number: string;
  header: string;
  parts: Record<string, string | null>;
}

export const digestOf = (jws: string): string => createHash("sha256").update(jws).digest("hex");

/** A part's payload as signed, read without checking it (the registry got it from the gateway, on the owner's word). */
export function partPayload(jws: string): ReportPartPayload | null {
  try {
    const [, body] = jws.split(".");
    return JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8")) as ReportPartPayload;
  } catch {
    return null;
  }
}

export interface ReportCheck {
  /** "header", or the owner subgraph's name. */
  piece: string;
  ok: boolean;
  detail: string;
}

/**
 * Verifies a saved report against published keys (`registry` and each owner
 * subgraph's, by name). Returns every piece's check; the view when all hold.
 */
export async function verifyReport(
  document: unknown,
  keys: Record<string, JWK>,
): Promise<{ checks: ReportCheck[]; view: ReportView | null }> {
  const doc = document as Partial<ReportDocument> | null;
  if (!doc || doc.format !== REPORT_FORMAT || typeof doc.header !== "string" || typeof doc.parts !== "object")
    return {
      checks: [{ piece: "file", ok: false, detail: `not a standing report (format ${REPORT_FORMAT} expected)` }],
      view: null,
    };
  const checks: ReportCheck[] = [];
  const header = await verified<ReportHeader>(doc.header, keys.registry, "registry", REPORT_TYPE, doc.number);
  checks.push({
    piece: "header",
    ok: header.ok,
    detail: header.ok ? "signed by the registry, unchanged" : header.problem,
  });
  if (!header.ok) return { checks, view: null };
  const parts = doc.parts ?? {};
  const payloads: { subgraph: string; payload: ReportPartPayload; iat: number }[] = [];
  for (const { subgraph, digest } of header.payload.parts) {
    const jws = parts[subgraph];
    if (digest === null) {
      checks.push({
        piece: subgraph,
        ok: jws == null,
        detail: jws == null ? "withheld from the requester" : "a part where the registry numbered none",
      });
      continue;
    }
    if (typeof jws !== "string") {
      checks.push({ piece: subgraph, ok: false, detail: "missing: the header lists this part" });
      continue;
    }
    if (digestOf(jws) !== digest) {
      checks.push({ piece: subgraph, ok: false, detail: "changed: it is not the part the registry's header lists" });
      continue;
    }
    const part = await verified<ReportPartPayload>(jws, keys[subgraph], subgraph, REPORT_PART_TYPE, doc.number);
    checks.push({
      piece: subgraph,
      ok: part.ok,
      detail: part.ok
        ? `signed by ${subgraph}, unchanged; audit entries ${part.payload.releases.map((r) => `#${r.seq}`).join(", ") || "none (nothing non-public released)"}`
        : part.problem,
    });
    if (part.ok) payloads.push({ subgraph, payload: part.payload, iat: part.iat });
  }
  for (const subgraph of Object.keys(parts))
    if (!header.payload.parts.some((p) => p.subgraph === subgraph))
      checks.push({ piece: subgraph, ok: false, detail: "added: the header lists no such part" });
  if (!checks.every((c) => c.ok)) return { checks, view: null };
  return { checks, view: reportView(header.payload, payloads) };
}

async function verified<P>(
  jws: string,
  jwk: JWK | undefined,
  issuer: string,
  typ: string,
  number: string | undefined,
): Promise<{ ok: true; payload: P; iat: number } | { ok: false; problem: string }> {
  if (!jwk) return { ok: false, problem: `no public key given for ${issuer}` };
  try {
    const key = await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA");
    const { payload } = await jwtVerify(jws, key, { issuer, typ, algorithms: ["EdDSA"] });
    if (payload.jti !== number)
      return { ok: false, problem: `signed for report ${String(payload.jti)}, not ${number}` };
    return { ok: true, payload: payload as P, iat: payload.iat ?? 0 };
  } catch (error) {
    return { ok: false, problem: failing(error, issuer) };
  }
}

function failing(error: unknown, issuer: string): string {
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return `the signature does not hold: changed, or not signed with ${issuer}'s key`;
  if (error instanceof errors.JWTClaimValidationFailed) return `the claim "${error.claim}" is wrong (${error.reason})`;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "not a readable JWS (changed)";
  return "does not verify";
}

/** What the printed report shows, from the header and the owners' parts. */
export function reportView(
  header: ReportHeader,
  parts: readonly { subgraph: string; payload: ReportPartPayload; iat: number }[],
): ReportView {
  const nameOf = (id: string) => header.owners[id] ?? id;
  return {
    number: header.number,
    madeAt: header.madeAt,
    purpose: header.purpose,
    requester: header.requester,
    enterprise: header.enterprise,
    consent: header.consent,
    goodStanding: header.goodStanding,
    concerns: header.concerns.map((c) => ({
      code: c.code,
      owner: c.ownerId ? nameOf(c.ownerId) : "—",
      message: c.message,
      messageEn: c.messageEn,
    })),
    programmes: header.programmes,
    parts: parts.flatMap(({ subgraph, payload, iat }) =>
      payload.releases.map((r) => ({
        owner: nameOf(r.ownerId),
        subgraph,
        audit: { seq: r.seq, hash: r.hash },
        findings: payload.findings.filter((f) => f.ownerId === r.ownerId).length,
        signedAt: new Date(iat * 1000).toISOString(),
      })),
    ),
  };
}

/** A report number: the day it was made (China time, as it is filed) and 40 random bits, e.g. CHR-20261205-9F3A0C1B7E. */
export function newReportNumber(now: Date, random: Buffer): string {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now).replaceAll("-", "");
  return `CHR-${day}-${random.subarray(0, 5).toString("hex").toUpperCase()}`;
}
export const REPORT_NUMBER = /^CHR-\d{8}-[0-9A-F]{10}$/;
