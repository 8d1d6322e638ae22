import { associations } from "../subgraphs/associations/schema/index.ts";
import { bureaus } from "../subgraphs/bureaus/schema/index.ts";
import { industry } from "../subgraphs/industry/schema/index.ts";
import { registry } from "../subgraphs/registry/schema/index.ts";

/**
 * The subgraphs this hub runs, in start order (the registry first: the gateway
 * checks credentials with it). A partner's subgraph runs elsewhere and joins through the supergraph config (supergraph-config.ts).
 */
export const SUBGRAPHS = [registry, associations, industry, bureaus] as const;
