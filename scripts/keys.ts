/**
 * npm run keys — makes the gateway's signing key under DATA_DIR/keys (if there
 * is none) and prints its public half: what every subgraph process needs as
 * HUB_PUBLIC_KEY (or in its own DATA_DIR/keys/hub-signing.public.jwk.json).
 */
import { join, resolve } from "node:path";
import { loadOrCreateSigningKeys } from "../gateway/keys.ts";

const dir = join(resolve(process.env.DATA_DIR ?? "data"), "keys");
const keys = await loadOrCreateSigningKeys(dir);
console.error(`hub signing key in ${dir}; its public half, for the subgraphs (HUB_PUBLIC_KEY):`);
console.log(JSON.stringify(keys.publicJwk));
