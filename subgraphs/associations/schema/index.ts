import { owner } from "../owner.ts";
import { associationsPermissions } from "../permissions.ts";
import { purgeExpiredRecords } from "../retention.ts";
import "./membership.ts";
import "./credit-record.ts";
import "./trading-partner.ts";
import "./objection.ts";
import "./record-change.ts";
import "./evaluation.ts";
import "./sanction.ts";
import "./list-entry.ts";
import "./standing.ts";

/** The associations subgraph as the hub runs it: its declaration, these types, its permission table. */
export const associations = owner.subgraph({ permissions: associationsPermissions, retention: purgeExpiredRecords });
