import { SUBGRAPH_SCHEMA_OPTIONS } from "../../sdk/builder.ts";
import { builder } from "../builder.ts";
import "./organisation.ts";
import "./api-key.ts";
import "./enterprise.ts";
import "./consent.ts";
import "./identity-provider.ts";
import "./standing.ts";

export const registrySchema = builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS);
