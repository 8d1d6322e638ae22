import { readFileSync, writeFileSync } from "node:fs";
import type { JWK } from "jose";
import { verifyReport } from "../../subgraphs/registry/report/document.ts";
import { CliError, type Command, onlyPositional, type Parsed, say, usage } from "../command.ts";

/**
 * A standing report checked, and printed, offline: the bank's saved JSON
 * against the keys the hub publishes, with nothing asked of the hub.
 */

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw usage(
      `${what} ${file} could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} ${file} is not JSON.`);
  }
}

/**
 * The published keys by subgraph name. Taken as saved from the hub: the answer
 * to `{ registryAuditPublicKey associationsAuditPublicKey … }` (with or without
 * its `data`), or an object of JWKs by subgraph name.
 */
export function publishedKeys(given: unknown): Record<string, JWK> {
  const root = (given as { data?: unknown } | null)?.data ?? given;
  if (!root || typeof root !== "object") throw new CliError("--keys: expected a JSON object of published keys.");
  const keys: Record<string, JWK> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const subgraph = name.replace(/AuditPublicKey$/, "");
    let jwk: unknown = value;
    if (typeof value === "string")
      try {
        jwk = JSON.parse(value);
      } catch {
        throw new CliError(`--keys: ${name} is not a JSON Web Key.`);
      }
    if (jwk && typeof jwk === "object") keys[subgraph] = jwk as JWK;
  }
  if (!keys.registry) throw new CliError("--keys: the registry's key (registryAuditPublicKey) is missing.");
  return keys;
}

/** The report file's content: the document itself, or the `standingReport` answer it came in. */
function documentIn(given: unknown): unknown {
  const answer = given as { data?: { standingReport?: { document?: unknown } }; document?: unknown } | null;
  const inner = answer?.data?.standingReport?.document ?? answer?.document;
  if (typeof inner === "string")
    try {
      return JSON.parse(inner);
    } catch {
      throw new CliError("The report's `document` is not JSON.");
    }
  return given;
}

async function verifiedFile(args: Parsed) {
  const file = onlyPositional(args, "the report file");
  const keysFile = args.values.keys;
  if (typeof keysFile !== "string")
    throw usage("--keys FILE: the hub's published keys (the answer to the query in the README's walkthrough).");
  const keys = publishedKeys(readJson(keysFile, "--keys"));
  return verifyReport(documentIn(readJson(file, "The report")), keys);
}

const DETAIL = `The report is the \`document\` of a \`standingReport\`, saved as it is (or the whole GraphQL answer). The
keys are what the hub publishes: save the answer to
  { registryAuditPublicKey associationsAuditPublicKey industryAuditPublicKey bureausAuditPublicKey }
as a file. Nothing is asked of the hub.`;

export const reportCommands: Command[] = [
  {
    name: "report verify",
    summary: "check a saved standing report offline: the registry's header and every owner's part",
    usage: "<report.json> --keys keys.json",
    detail: `${DETAIL} Prints each piece's check; exits 1 and names the piece that fails when one does.`,
    options: { keys: { type: "string" } },
    async run(args) {
      const { checks, view } = await verifiedFile(args);
      for (const c of checks) say(args.io.stdout, `${c.ok ? "✓" : "✗"} ${c.piece}: ${c.detail}`);
      if (!view) {
        const failed = checks.filter((c) => !c.ok).map((c) => c.piece);
        throw new CliError(`报告未通过校验 / Report NOT verified: ${failed.join(", ")} failed.`);
      }
      say(
        args.io.stdout,
        `报告已校验 / Report verified: ${view.number}, ${view.enterprise.name ?? ""} (${view.enterprise.uscc}), made ${view.madeAt} for ${view.requester.name}.`,
      );
    },
  },
  {
    name: "report pdf",
    summary: "print a saved standing report as a PDF, once it verifies (offline)",
    usage: "<report.json> --keys keys.json --out report.pdf [--language zh|en]",
    detail: `${DETAIL} The PDF shows what the verified JSON holds, nothing else.`,
    options: { keys: { type: "string" }, out: { type: "string" }, language: { type: "string" } },
    async run(args) {
      const out = args.values.out;
      if (typeof out !== "string") throw usage("--out FILE: where to write the PDF.");
      const language = args.values.language ?? "zh";
      if (language !== "zh" && language !== "en") throw usage("--language: zh (the default) or en.");
      const { checks, view } = await verifiedFile(args);
      if (!view)
        throw new CliError(
          `报告未通过校验，不予打印 / Report NOT verified, not printed: ${checks
            .filter((c) => !c.ok)
            .map((c) => `${c.piece} (${c.detail})`)
            .join("; ")}`,
        );
      // The PDF library loads only for the command that prints.
      const { renderReportPdf } = await import("../../subgraphs/registry/report/pdf.ts");
      writeFileSync(out, await renderReportPdf(view, language));
      say(args.io.stdout, `Wrote ${out} (${view.number}).`);
    },
  },
];
