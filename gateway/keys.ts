import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { HUB_TOKEN_ALG } from "../subgraphs/kit/hub-token.ts";

export interface HubSigningKeys {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const PRIVATE_FILE = "hub-signing-key.jwk.json";
export const PUBLIC_FILE = "hub-public-key.jwk.json";

/**
 * The gateway's Ed25519 key for hub tokens. HUB_SIGNING_KEY (a private JWK as
 * JSON) wins; otherwise the key lives under <keysDir>, made on first start.
 * The public half is written beside it for subgraphs in other processes.
 */
export async function loadOrCreateSigningKeys(keysDir: string, env = process.env): Promise<HubSigningKeys> {
  if (env.HUB_SIGNING_KEY) return fromPrivateJwk(parseJwk(env.HUB_SIGNING_KEY, "HUB_SIGNING_KEY"));
  const privatePath = join(keysDir, PRIVATE_FILE);
  if (existsSync(privatePath)) return fromPrivateJwk(parseJwk(readFileSync(privatePath, "utf8"), privatePath));
  const { privateKey } = await generateKeyPair(HUB_TOKEN_ALG, { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  writeFileSync(privatePath, JSON.stringify(jwk), { mode: 0o600 });
  const keys = await fromPrivateJwk(jwk);
  writeFileSync(join(keysDir, PUBLIC_FILE), JSON.stringify(keys.publicJwk, null, 2));
  return keys;
}

function parseJwk(text: string, where: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${where} is not a JSON Web Key. Expected an Ed25519 private key as JWK JSON.`);
  }
}

async function fromPrivateJwk(jwk: JWK): Promise<HubSigningKeys> {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d)
    throw new Error("The hub signing key must be an Ed25519 private key (JWK with kty OKP, crv Ed25519 and d).");
  const privateKey = (await importJWK({ ...jwk, alg: HUB_TOKEN_ALG }, HUB_TOKEN_ALG)) as CryptoKey;
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey, publicJwk };
}
