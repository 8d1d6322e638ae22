import { join } from "node:path";
import { loadOrCreateSigningKeys } from "../../gateway/keys.ts";
import { type Command, say } from "../command.ts";
import { dataDir } from "./offline.ts";

export const signingKeyCommands: Command[] = [
  {
    name: "signing-key",
    summary: "make the gateway's signing key (if there is none) and print its public half",
    usage: "[--data DIR]",
    detail:
      "The key lives under DIR/keys (DATA_DIR; default ./data). Every subgraph process needs its public half as HUB_PUBLIC_KEY.",
    options: { data: { type: "string" } },
    async run(args) {
      const dir = join(dataDir(args), "keys");
      const keys = await loadOrCreateSigningKeys(dir);
      say(args.io.stderr, `hub signing key in ${dir}; its public half, for the subgraphs (HUB_PUBLIC_KEY):`);
      say(args.io.stdout, JSON.stringify(keys.publicJwk));
    },
  },
];
