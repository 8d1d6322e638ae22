import { type Env, readSettings } from "../operations/settings.ts";
import { type Ed25519Keys, loadOrCreateEd25519 } from "../protocol/keys.ts";

export type HubSigningKeys = Ed25519Keys;

/**
 * The gateway's Ed25519 key for hub tokens: HUB_SIGNING_KEY (a private JWK as
 * JSON) in production; otherwise `<keysDir>/hub-signing.jwk.json`, made on
 * first start, its public half beside it for subgraphs in other processes.
 */
export async function loadOrCreateSigningKeys(keysDir: string | null, env?: Env): Promise<HubSigningKeys> {
  return loadOrCreateEd25519("hub-signing", keysDir, readSettings(["HUB_SIGNING_KEY"], env).HUB_SIGNING_KEY);
}
