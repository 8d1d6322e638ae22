import { type CryptoKey, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import { badInput } from "../../protocol/errors.ts";

/**
 * Records that travel from one owner to another (an association's records to
 * the bureaus it shares them with) travel signed: the sending owner signs what
 * it releases with its own key, for one recipient, and the receiving owner
 * verifies it before keeping it — so what a bureau keeps is the source's own
 * statement, with its origin, never something re-typed or altered on the way.
 *
 * The key is the owner's signing key (the one its audit checkpoints use; the
 * JWS type keeps the two uses apart), published as `<owner>AuditPublicKey`.
 */
export const SIGNED_RECORD_TYPE = "credit-record+jwt";

export interface RecordSignatures {
  /**
   * Signs a release for its recipients (organisation ids, USCCs); throws when this subgraph has no signing key. A
   * document of another kind (a consent receipt) names its own JWS type and id.
   */
  sign(
    payload: Record<string, unknown>,
    recipients: string | string[],
    document?: { type: string; id: string },
  ): Promise<string>;
  /** Verifies a signed release from a trusted owner subgraph, made for `recipientId`; BAD_USER_INPUT otherwise. */
  verify(jws: string, recipientId: string): Promise<{ source: string; payload: Record<string, unknown> }>;
}

export async function recordSignatures(options: {
  /** This subgraph's name, the issuer of what it signs. */
  name: string;
  own: { privateKey: CryptoKey } | null;
  /** Public keys of the owner subgraphs whose signed records this one accepts, by subgraph name. */
  trusted: Record<string, JWK>;
}): Promise<RecordSignatures> {
  const trusted = new Map<string, CryptoKey>();
  for (const [source, jwk] of Object.entries(options.trusted))
    trusted.set(source, (await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA")) as CryptoKey);
  return {
    async sign(payload, recipients, document) {
      if (!options.own) throw new Error(`The ${options.name} subgraph has no signing key.`);
      const jwt = new SignJWT(payload)
        .setProtectedHeader({ alg: "EdDSA", typ: document?.type ?? SIGNED_RECORD_TYPE })
        .setIssuer(options.name)
        .setAudience(recipients)
        .setIssuedAt();
      return (document ? jwt.setJti(document.id) : jwt).sign(options.own.privateKey);
    },
    async verify(jws, recipientId) {
      const issuer = issuerOf(jws);
      const key = issuer ? trusted.get(issuer) : undefined;
      if (!issuer || !key)
        throw badInput(
          `This is not a signed record from an owner this subgraph trusts (${[...trusted.keys()].join(", ") || "none"}).`,
        );
      try {
        const { payload } = await jwtVerify(jws, key, {
          issuer,
          audience: recipientId,
          typ: SIGNED_RECORD_TYPE,
          algorithms: ["EdDSA"],
        });
        return { source: issuer, payload: payload as Record<string, unknown> };
      } catch {
        throw badInput(
          `The signed record from ${issuer} does not verify for you: it was altered, or it was released to another organisation.`,
        );
      }
    },
  };
}

function issuerOf(jws: string): string | null {
  const [, body] = jws.split(".");
  if (!body) return null;
  try {
    const iss = (JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { iss?: unknown }).iss;
    return typeof iss === "string" ? iss : null;
  } catch {
    return null;
  }
}
