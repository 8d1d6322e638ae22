import { SUBGRAPH_SCHEMA_OPTIONS } from "../../sdk/builder.ts";
import { builder } from "../builder.ts";
import "./enterprise.ts";
import "./trade-record.ts";
import "./sharing-grant.ts";
import "./standing.ts";
import "./audit.ts";

export const industrySchema = builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS);
