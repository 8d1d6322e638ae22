import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export interface Ed25519Keys {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * An Ed25519 signing key: from `configured` (a private JWK as JSON, e.g. from
 * an environment variable) when given; otherwise `<dir>/<name>.jwk.json`,
 * made on first use, with the public half written beside it as
 * `<name>.public.jwk.json`. With no dir, a key for this process only.
 */
export async function loadOrCreateEd25519(name: string, dir: string | null, configured?: string): Promise<Ed25519Keys> {
  if (configured) return fromPrivateJwk(parseJwk(configured, `the configured ${name} key`));
  if (!dir) {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    return fromPrivateJwk(await exportJWK(privateKey));
  }
  const privatePath = join(dir, `${name}.jwk.json`);
  if (existsSync(privatePath)) return fromPrivateJwk(parseJwk(readFileSync(privatePath, "utf8"), privatePath));
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(privatePath, JSON.stringify(jwk), { mode: 0o600 });
  const keys = await fromPrivateJwk(jwk);
  writeFileSync(join(dir, `${name}.public.jwk.json`), JSON.stringify(keys.publicJwk, null, 2));
  return keys;
}

export function readPublicJwk(dir: string, name: string): JWK {
  const path = join(dir, `${name}.public.jwk.json`);
  return parseJwk(readFileSync(path, "utf8"), path);
}

function parseJwk(text: string, where: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${where} is not a JSON Web Key. Expected an Ed25519 private key as JWK JSON.`);
  }
}

async function fromPrivateJwk(jwk: JWK): Promise<Ed25519Keys> {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d)
    throw new Error("Expected an Ed25519 private key (JWK with kty OKP, crv Ed25519 and d).");
  const privateKey = (await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA")) as CryptoKey;
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey, publicJwk };
}
