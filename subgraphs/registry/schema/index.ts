import { CONSENTS_SCOPE, CREDENTIALS_SCOPE, DIRECTORY_SCOPE } from "../../../protocol/hub-token.ts";
import { SUBGRAPH_SCHEMA_OPTIONS } from "../../sdk/builder.ts";
import { resolveCredential } from "../credentials.ts";
import { knownEnterprises } from "../directory.ts";
import { builder, owner } from "../owner.ts";
import { registryPermissions } from "../permissions.ts";
import { liveConsents } from "./consent.ts";
import "./organisation.ts";
import "./api-key.ts";
import "./enterprise.ts";
import "./identity-provider.ts";
import "./consent-request.ts";
import "./invitation.ts";
import "./programme.ts";
import "./standing-report.ts";
import { weighStandingParts } from "./standing.ts";

/**
 * The registry as the hub runs it: these types, its permission table, and the
 * routes only the gateway may call (hub-token scopes) to resolve credentials,
 * consents and the directory. Its verdict weighs the standing parts the supergraph has.
 */
export const registry = owner.subgraph(
  {
    permissions: registryPermissions,
    internalRoutes: (db, now, read) => ({
      credentials: { scope: CREDENTIALS_SCOPE, handle: (body) => resolveCredential(db, body, now()) },
      consents: { scope: CONSENTS_SCOPE, handle: (body) => liveConsents(read, body ?? {}, now()) },
      directory: { scope: DIRECTORY_SCOPE, handle: (body) => knownEnterprises(db, body ?? {}) },
    }),
  },
  (standing) => {
    weighStandingParts(standing);
    return builder.toSubGraphSchema(SUBGRAPH_SCHEMA_OPTIONS);
  },
);
