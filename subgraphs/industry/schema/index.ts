import { owner } from "../owner.ts";
import { industryPermissions } from "../permissions.ts";
import "./trade-record.ts";
import "./standing.ts";

/** The industry subgraph as the hub runs it: its declaration, these types, its permission table. */
export const industry = owner.subgraph({ permissions: industryPermissions });
