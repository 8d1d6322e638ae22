import { associations } from "../subgraphs/associations/server.ts";
import { bureaus } from "../subgraphs/bureaus/server.ts";
import { industry } from "../subgraphs/industry/server.ts";
import { registry } from "../subgraphs/registry/server.ts";

/**
 * The subgraphs this hub runs, in start order (the registry first: the gateway
 * checks credentials with it). A partner's subgraph runs elsewhere and joins through the supergraph config (supergraph-config.ts).
 */
export const SUBGRAPHS = [registry, associations, industry, bureaus] as const;
