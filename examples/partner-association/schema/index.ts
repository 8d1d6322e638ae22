import { SUBGRAPH_SCHEMA_OPTIONS } from "../../../subgraphs/sdk/builder.ts";
import { builder } from "../builder.ts";
import "./enterprise.ts";
import "./certificate.ts";
import "./sharing-grant.ts";
import "./audit.ts";

export const plasticsSchema = builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS);
