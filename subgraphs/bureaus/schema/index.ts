import { owner } from "../owner.ts";
import { bureausPermissions } from "../permissions.ts";
import "./bureau-record.ts";
import "./received-record.ts";
import "./standing.ts";

/** The bureaus subgraph as the hub runs it: its declaration, these types, its permission table. */
export const bureaus = owner.subgraph({ permissions: bureausPermissions });
