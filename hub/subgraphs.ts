import { associations } from "../subgraphs/associations/server.ts";
import { bureaus } from "../subgraphs/bureaus/server.ts";
import { industry } from "../subgraphs/industry/server.ts";
import { registry } from "../subgraphs/registry/server.ts";

/**
 * The subgraphs this hub runs, in start order (the registry first: the gateway
 * checks credentials with it). A partner's own subgraph is added here.
 */
export const SUBGRAPHS = [registry, associations, industry, bureaus] as const;

/**
 * Where each subgraph listens when run as its own process; written into the
 * committed supergraph, overridden at run time by SUBGRAPH_URL_<NAME>.
 */
export const DEFAULT_SUBGRAPH_URLS: Record<string, string> = {
  registry: "http://localhost:4001/graphql",
  associations: "http://localhost:4002/graphql",
  industry: "http://localhost:4003/graphql",
  bureaus: "http://localhost:4004/graphql",
};
