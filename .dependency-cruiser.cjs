/**
 * The tree's boundaries, checked in CI (`npm run boundaries`): each data
 * owner keeps its own code, the gateway knows owners only through the
 * protocol, and the SDK serves every owner without knowing any of them.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "owner-imports-another-owner",
      comment:
        "An owner's subgraph talks to another only through the federated API; share code through subgraphs/sdk or protocol/.",
      severity: "error",
      from: { path: "^subgraphs/([^/]+)/" },
      to: { path: "^subgraphs/[^/]+/", pathNot: ["^subgraphs/$1/", "^subgraphs/sdk/"] },
    },
    {
      name: "owner-reads-another-owners-database",
      comment: "Each owner has its own database: its Prisma client, no one else's.",
      severity: "error",
      from: { path: "^(subgraphs|examples)/([^/]+)/", pathNot: "^subgraphs/sdk/" },
      to: { path: "^prisma/", pathNot: "^prisma/$2/" },
    },
    {
      name: "gateway-imports-subgraph-code",
      comment: "The gateway reaches owners over HTTP with a hub token; what both sides agree on is protocol/.",
      severity: "error",
      from: { path: "^gateway/" },
      to: { path: "^(subgraphs|examples|prisma|hub)/" },
    },
    {
      name: "sdk-imports-an-owner-or-the-gateway",
      comment: "The SDK is what every owner (a partner's too) builds on: it knows none of them, nor the gateway.",
      severity: "error",
      from: { path: "^subgraphs/sdk/" },
      to: { path: "^(gateway|hub|examples|prisma)/|^subgraphs/(?!sdk/)" },
    },
    {
      name: "protocol-imports-a-side",
      comment: "The protocol is what the gateway and the owners agree on; it depends on neither.",
      severity: "error",
      from: { path: "^(protocol|operations)/" },
      to: { path: "^(gateway|subgraphs|hub|examples|prisma|cli)/" },
    },
    {
      name: "partner-beyond-the-sdk",
      comment: "The partner example shows what a partner has: the SDK and the protocol, nothing of the hub's own.",
      severity: "error",
      from: { path: "^examples/([^/]+)/" },
      to: { path: "^(gateway|hub|cli)/|^subgraphs/(?!sdk/)" },
    },
    {
      name: "no-circular",
      comment: "An import cycle makes load order load-bearing.",
      severity: "error",
      from: { pathNot: "/generated/" },
      to: { circular: true, pathNot: "/generated/" },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)(node_modules|generated)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
