import { SUBGRAPH_SCHEMA_OPTIONS } from "../../sdk/builder.ts";
import { builder } from "../builder.ts";
import "./enterprise.ts";
import "./membership.ts";
import "./credit-record.ts";
import "./trading-partner.ts";
import "./sharing-grant.ts";
import "./objection.ts";
import "./record-change.ts";
import "./evaluation.ts";
import "./sanction.ts";
import "./list-entry.ts";
import "./standing.ts";
import "./audit.ts";

export const associationsSchema = builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS);
