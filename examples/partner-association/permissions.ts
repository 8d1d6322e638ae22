import { type PermissionTable, rules } from "../../subgraphs/sdk/permissions.ts";

/**
 * Who may call what in the partner's subgraph. Its certificate fields are
 * classified where they are defined, the SDK adds the entries of the APIs it
 * derives, and this table names the rest. A field in none of these stops the
 * subgraph from starting.
 */
export const plasticsPermissions: PermissionTable = {
  Mutation: {
    issueQualityCertificate: rules.staffOf("ASSOCIATION"),
    withdrawQualityCertificate: rules.staffOf("ASSOCIATION"),
  },
};
