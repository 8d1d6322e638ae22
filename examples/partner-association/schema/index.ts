import { owner } from "../owner.ts";
import { plasticsPermissions } from "../permissions.ts";
import "./certificate.ts";
import "./standing.ts";

/** The partner's subgraph as it runs: its declaration, these types, its permission table. */
export const plastics = owner.subgraph({ permissions: plasticsPermissions });
