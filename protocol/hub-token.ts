import { createHash, KeyObject, randomUUID, sign } from "node:crypto";
import { type CryptoKey, importJWK, type JWK, errors as joseErrors, jwtVerify } from "jose";
import { ANONYMOUS, type Caller, ORGANISATION_TYPES, ROLES, type Role } from "./identity.ts";

/**
 * The hub token: minted by the gateway for every request it sends to a
 * subgraph, verified by the subgraph before anything else runs. It is what lets
 * a data owner trust the caller's identity without trusting the network.
 */

export const HUB_TOKEN_ISSUER = "credit-hub-gateway";
export const HUB_TOKEN_ALG = "EdDSA";
/** Seconds a token lives: long enough for one hop, too short to be worth stealing. */
export const HUB_TOKEN_TTL_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;
/** Scope of the gateway's own calls to the registry's credential check. */
export const CREDENTIALS_SCOPE = "credentials";
/** Scope of the gateway's calls to the registry's consent lookup. */
export const CONSENTS_SCOPE = "consents";
/** Scope of the gateway's calls to the registry's directory lookup (which enterprises it knows). */
export const DIRECTORY_SCOPE = "directory";
/**
 * The most enterprises one token names as consenting or as known to the
 * directory. The gateway never asks about more (see gateway/authentication.ts),
 * so a token naming more was not minted by it for a real request.
 */
export const MAX_TOKEN_USCCS = 1000;

/** An enterprise's live consent that bears on a request: the lawful basis an owner cites when it releases CONSENT data. */
export interface ConsentBasis {
  uscc: string;
  consentId: string;
  /** The owners (organisation ids) whose data it covers; empty: every owner's. */
  owners: string[];
}

/** The most owners one consent names (a consent for more covers every owner). */
export const MAX_CONSENT_OWNERS = 50;

export interface HubRequestContext {
  caller: Caller;
  purpose: string | null;
  requestId: string;
  /** Set only on tokens for the gateway's own calls to a non-GraphQL endpoint. */
  scope: string | null;
  /**
   * The live consents that enterprises in this request gave the caller for the
   * stated purpose, as the registry told the gateway when minting.
   */
  consents: ConsentBasis[];
  /**
   * Enterprises (USCCs) in this request that the registry's directory knows,
   * as the registry told the gateway when minting. Filled only for mutations:
   * owners accept writes only about enterprises the directory knows.
   */
  known: string[];
}

export function bodyHash(body: string | Uint8Array): string {
  return createHash("sha256").update(body).digest("base64url");
}

/**
 * Signed here with node:crypto, synchronously, rather than with jose's `SignJWT`: on Node, jose signs only through
 * WebCrypto's asynchronous path, and with one token per subgraph call that made it the gateway's top function (issue
 * 15's profile; about 2.5 times the CPU of this, measured). What comes out is the compact JWS jose would make —
 * header `{"alg":"EdDSA","typ":"hub+jwt"}`, the claims below — and subgraphs verify it with jose.
 */
export function mintHubToken(
  key: CryptoKey,
  audience: string,
  body: string | Uint8Array,
  request: Omit<HubRequestContext, "scope" | "consents" | "known"> & {
    scope?: string | null;
    consents?: ConsentBasis[];
    known?: string[];
  },
): string {
  const { caller } = request;
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    ...(caller.kind === "organisation"
      ? { org: { type: caller.organisationType, uscc: caller.uscc, roles: caller.roles } }
      : {}),
    purpose: request.purpose,
    rid: request.requestId,
    ...(request.scope ? { scope: request.scope } : {}),
    ...(request.consents?.length
      ? {
          consents: request.consents.map((b) => ({
            u: b.uscc,
            c: b.consentId,
            ...(b.owners.length ? { o: b.owners } : {}),
          })),
        }
      : {}),
    ...(request.known?.length ? { known: request.known } : {}),
    bh: bodyHash(body),
    iss: HUB_TOKEN_ISSUER,
    aud: audience,
    sub: caller.kind === "organisation" ? caller.organisationId : "anonymous",
    jti: randomUUID(),
    iat: now,
    exp: now + HUB_TOKEN_TTL_SECONDS,
  };
  const input = `${TOKEN_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${sign(null, Buffer.from(input), signingKeyObject(key)).toString("base64url")}`;
}

const TOKEN_HEADER = Buffer.from(JSON.stringify({ alg: HUB_TOKEN_ALG, typ: "hub+jwt" })).toString("base64url");
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/** node:crypto's form of the gateway's Ed25519 key, made once per key. */
function signingKeyObject(key: CryptoKey): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    if (key.algorithm.name !== "Ed25519" || key.type !== "private")
      throw new Error("The hub's signing key must be an Ed25519 private key.");
    object = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
    keyObjects.set(key, object);
  }
  return object;
}

export class HubTokenError extends Error {}

/**
 * Verifies a token for this subgraph and this exact body, once. Every failure
 * is a HubTokenError whose message is safe to show to the caller.
 */
export class HubTokenVerifier {
  /** jti → expiry (ms); a token seen once is refused until it would have expired anyway. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly publicKey: CryptoKey,
    private readonly audience: string,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(token: string | undefined, body: string | Uint8Array): Promise<HubRequestContext> {
    if (!token) throw new HubTokenError("This service only answers requests relayed by the credit-hub gateway.");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        issuer: HUB_TOKEN_ISSUER,
        audience: this.audience,
        algorithms: [HUB_TOKEN_ALG],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: HUB_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["jti", "exp", "iat", "sub"],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new HubTokenError("The hub token has expired.");
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === "aud")
        throw new HubTokenError("The hub token was issued for another service.");
      throw new HubTokenError("The hub token is not valid.");
    }
    if (payload.bh !== bodyHash(body)) throw new HubTokenError("The hub token does not match this request.");
    this.rememberOnce(payload.jti as string, (payload.exp as number) * 1000);
    return {
      caller: callerFrom(payload),
      purpose: stringOrNull(payload.purpose),
      requestId: String(payload.rid ?? payload.jti),
      scope: stringOrNull(payload.scope),
      consents: consentsClaim(payload.consents),
      known: usccClaim(payload.known),
    };
  }

  private rememberOnce(jti: string, expiresAt: number) {
    const now = this.now();
    if (this.seen.size > 10_000) {
      for (const [id, exp] of this.seen) if (exp + CLOCK_TOLERANCE_SECONDS * 1000 < now) this.seen.delete(id);
    }
    if (this.seen.has(jti)) throw new HubTokenError("The hub token has already been used.");
    this.seen.set(jti, expiresAt);
  }
}

/**
 * A claim listing enterprises: absent, or an array of at most MAX_TOKEN_USCCS
 * 18-character strings. Anything else is refused rather than filtered: a
 * correctly signed token of another shape is not one this gateway minted.
 */
function usccClaim(value: unknown): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.length > MAX_TOKEN_USCCS ||
    !value.every((u): u is string => typeof u === "string" && u.length === 18)
  )
    throw new HubTokenError("The hub token is not valid.");
  return value;
}

const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 64;

/** The consents claim: absent, or at most MAX_TOKEN_USCCS of `{ u, c, o? }`; any other shape is refused, as above. */
function consentsClaim(value: unknown): ConsentBasis[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_TOKEN_USCCS) throw new HubTokenError("The hub token is not valid.");
  return value.map((entry: unknown) => {
    const { u, c, o = [] } = (entry ?? {}) as { u?: unknown; c?: unknown; o?: unknown };
    if (
      typeof u !== "string" ||
      u.length !== 18 ||
      !isId(c) ||
      !Array.isArray(o) ||
      o.length > MAX_CONSENT_OWNERS ||
      !o.every(isId)
    )
      throw new HubTokenError("The hub token is not valid.");
    return { uscc: u, consentId: c, owners: o };
  });
}

function stringOrNull(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function callerFrom(payload: Record<string, unknown>): Caller {
  const org = payload.org as { type?: unknown; uscc?: unknown; roles?: unknown } | undefined;
  if (payload.sub === "anonymous" || !org) return ANONYMOUS;
  const type = ORGANISATION_TYPES.find((t) => t === org.type);
  if (!type) throw new HubTokenError("The hub token is not valid.");
  const roles = Array.isArray(org.roles)
    ? org.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r))
    : [];
  return {
    kind: "organisation",
    organisationId: String(payload.sub),
    organisationType: type,
    uscc: stringOrNull(org.uscc),
    roles,
  };
}

export async function importHubPublicKey(jwk: JWK): Promise<CryptoKey> {
  return (await importJWK({ ...jwk, alg: HUB_TOKEN_ALG }, HUB_TOKEN_ALG)) as CryptoKey;
}
