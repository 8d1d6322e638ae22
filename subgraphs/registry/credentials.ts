import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import {
  createLocalJWKSet,
  decodeJwt,
  type JSONWebKeySet,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from "jose";
import type { CredentialResult } from "../../protocol/identity.ts";
import type { RegistryContext } from "./owner.ts";
import { TEXT_LIMITS } from "./text.ts";

/**
 * API keys look like `chk_<id>_<secret>`: the id finds the row, the secret is
 * checked against its SHA-256. Secrets are 256 random bits, so a plain hash is
 * enough (no password stretching needed) and the secret is never stored.
 */
const KEY_PATTERN = /^chk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** The public part alone, as `keys list` shows it and `revokeApiKey` takes it. */
export const KEY_ID = /^[0-9a-f]{16}$/;

export interface NewApiKey {
  id: string;
  secretHash: string;
  /** The whole key, shown to its holder once. */
  key: string;
}

/** A credential of the form `<prefix>_<id>_<secret>`: an API key (`chk`), or an enterprise's invitation code (`inv`). */
function newSecret(prefix: "chk" | "inv"): NewApiKey {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, secretHash: hashSecret(secret), key: `${prefix}_${id}_${secret}` };
}

export const newApiKey = (): NewApiKey => newSecret("chk");
/** Shown once to whoever invites: the enterprise's one way to its organisation and first key. */
export const newInvitationCode = (): NewApiKey => newSecret("inv");

export function parseApiKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key.trim());
  return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

const INVITATION_PATTERN = /^inv_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function parseInvitationCode(code: string): { id: string; secret: string } | null {
  // Checked on the length first: a huge value costs nothing.
  const match = code.length <= 100 ? INVITATION_PATTERN.exec(code.trim()) : null;
  return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Don't write lastUsedAt more often than this per key: reads should not become writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Answers the gateway's question "whose credential is this?": an API key, or an identity provider's JWT. */
export async function resolveCredential(
  db: RegistryContext["db"],
  body: unknown,
  now: Date,
): Promise<CredentialResult> {
  const credential = (body ?? {}) as { apiKey?: unknown; jwt?: unknown };
  if (typeof credential.jwt === "string") return resolveJwt(db, credential.jwt, now);
  return resolveApiKey(db, credential.apiKey, now);
}

/** Tokens older than this are refused even if the provider gave them a longer life. */
const MAX_JWT_AGE = "1h";
const JWT_ALGORITHMS = ["EdDSA", "ES256", "ES384", "PS256", "RS256"];

async function resolveJwt(db: RegistryContext["db"], jwt: string, now: Date): Promise<CredentialResult> {
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(jwt).iss;
  } catch {
    return { ok: false, reason: "The bearer token is not a JWT." };
  }
  // Only a provider a hub operator confirmed and nobody revoked holds its issuer (liveIssuer); an issuer that
  // could not be registered (too long, control characters: a NUL cannot even reach PostgreSQL) is not one.
  const provider =
    issuer && issuer.length <= TEXT_LIMITS.issuer.max && !/[\p{Cc}\p{Cs}]/u.test(issuer)
      ? await db.identityProvider.findUnique({ where: { liveIssuer: issuer }, include: { organisation: true } })
      : null;
  if (!provider || provider.revokedAt || !provider.confirmedAt)
    return { ok: false, reason: "The token's issuer is not a registered identity provider." };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(provider.jwks as unknown as JSONWebKeySet), {
      issuer: provider.issuer,
      audience: provider.audience,
      algorithms: JWT_ALGORITHMS,
      maxTokenAge: MAX_JWT_AGE,
      requiredClaims: ["exp", "iat"],
      currentDate: now,
    }));
  } catch (error) {
    return {
      ok: false,
      reason:
        error instanceof joseErrors.JWTExpired
          ? "The token has expired."
          : "The token's signature or claims are not valid.",
    };
  }
  if (provider.organisation.status !== "ACTIVE")
    return { ok: false, reason: "The organisation of this identity provider is suspended." };
  const asked = Array.isArray(payload.roles) ? payload.roles : null;
  const roles = asked ? provider.roles.filter((r) => asked.includes(r)) : provider.roles;
  if (roles.length === 0) return { ok: false, reason: "The token asks for no role its identity provider may grant." };
  return {
    ok: true,
    caller: {
      kind: "organisation",
      organisationId: provider.organisationId,
      organisationType: provider.organisation.type,
      uscc: provider.organisation.uscc,
      roles,
    },
  };
}

/** Answers the gateway's question "whose key is this?". */
async function resolveApiKey(db: RegistryContext["db"], presented: unknown, now: Date): Promise<CredentialResult> {
  const parsed = typeof presented === "string" ? parseApiKey(presented) : null;
  if (!parsed) return { ok: false, reason: "That is not a credit-hub API key (expected chk_<id>_<secret>)." };
  const key = await db.apiKey.findUnique({ where: { id: parsed.id }, include: { organisation: true } });
  if (!key || !secretMatches(parsed.secret, key.secretHash)) return { ok: false, reason: "The API key is not valid." };
  if (key.revokedAt) return { ok: false, reason: "The API key has been revoked." };
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime())
    return {
      ok: false,
      reason: `The API key expired at ${key.expiresAt.toISOString()}; ask your organisation's admin for a new one.`,
    };
  if (key.organisation.status !== "ACTIVE")
    return { ok: false, reason: "The organisation holding this API key is suspended." };
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  return {
    ok: true,
    caller: {
      kind: "organisation",
      organisationId: key.organisationId,
      organisationType: key.organisation.type,
      uscc: key.organisation.uscc,
      roles: key.roles,
    },
  };
}
