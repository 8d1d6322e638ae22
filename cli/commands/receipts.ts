import { readFileSync } from "node:fs";
import { errors, importJWK, type JWK, jwtVerify } from "jose";
import { CONSENT_RECEIPT_TYPE } from "../../subgraphs/registry/rules/consents.ts";
import { CliError, type Command, onlyPositional, say, usage } from "../command.ts";

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    throw usage(
      `${what} ${file} could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A receipt as saved: the JWS itself, or the JSON of a consent (`{ "receipt": "…" }`) as the API returned it. */
function receiptIn(text: string): string {
  if (!text.startsWith("{")) return text;
  try {
    const parsed = JSON.parse(text) as { receipt?: unknown };
    if (typeof parsed.receipt === "string") return parsed.receipt;
  } catch {
    // Not JSON after all: taken as the JWS, and verification says what is wrong with it.
  }
  throw new CliError("The file holds JSON without a `receipt`: save the consent's receipt, or the consent as JSON.");
}

export const receiptCommands: Command[] = [
  {
    name: "receipt verify",
    summary: "check a consent receipt offline against the registry's public key",
    usage: "<receipt-file> --key registry-audit.public.jwk.json",
    detail: `The receipt is the consent's \`receipt\` (a JWS), saved as it is or inside the consent's JSON. The key is the
registry's published key: the \`registryAuditPublicKey\` query, saved to a file, or the registry's
DATA_DIR/keys/registry-audit.public.jwk.json. Nothing is asked of the hub. Prints the consent's terms when the
signature holds; exits 1 and says which part fails when it does not.`,
    options: { key: { type: "string" } },
    async run(args) {
      const file = onlyPositional(args, "the receipt file");
      const keyFile = args.values.key;
      if (typeof keyFile !== "string") throw usage("--key FILE: the registry's public key (registryAuditPublicKey).");
      let jwk: JWK;
      try {
        jwk = JSON.parse(readText(keyFile, "--key")) as JWK;
      } catch (error) {
        throw error instanceof CliError ? error : usage(`--key ${keyFile} is not a JSON Web Key.`);
      }
      const key = await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA").catch(() => {
        throw usage(`--key ${keyFile} is not an Ed25519 public key.`);
      });
      const receipt = receiptIn(readText(file, "The receipt"));
      const parts = receipt.split(".");
      if (parts.length !== 3 || parts.some((part) => !part))
        throw new CliError(
          "Not a receipt: a receipt is a JWS of three dot-separated parts (header, claims, signature).",
        );
      try {
        const { payload } = await jwtVerify(receipt, key, { issuer: "registry", typ: CONSENT_RECEIPT_TYPE });
        say(args.io.stdout, "Receipt verified: signed by the registry, unchanged.");
        for (const [name, value] of Object.entries(payload))
          say(args.io.stdout, `  ${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
      } catch (error) {
        throw new CliError(`Receipt NOT verified: ${failingPart(error)}`);
      }
    },
  },
];

/** Which part of the JWS gave way, in words. */
function failingPart(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "the signature does not match the header and claims (the receipt was changed, or another key signed it).";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the claim "${error.claim}" is not what a consent receipt carries (${error.reason}).`;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return "the header or the claims are not valid JSON in base64url (the receipt was changed).";
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return "the header names another algorithm than the registry's (the receipt was changed).";
  return (error as Error).message;
}
