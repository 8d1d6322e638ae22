import { SUBGRAPH_SCHEMA_OPTIONS } from "../../sdk/builder.ts";
import { builder } from "../builder.ts";
import "./enterprise.ts";
import "./bureau-record.ts";
import "./received-record.ts";
import "./sharing-grant.ts";
import "./standing.ts";
import "./audit.ts";

export const bureausSchema = builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS);
