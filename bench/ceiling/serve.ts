/**
 * One of the ceiling's owners as a process of its own (so /proc tells its CPU and memory apart), served the way
 * the hub serves its subgraphs — node:http and Apollo Server over a schema from @apollo/subgraph — with none of the
 * hub's work in between (see owners.ts). It exists only for `npm run bench`; nothing in the hub can start it.
 *
 * Env: PORT, DATABASE_URL (the owner's database, as seeded for the bench), CEILING_CALLER (the bank's organisation
 * id: who asks is hub work, so the ceiling answers as the bench's bank). Argument: the owner's name.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import pg from "pg";
import { loadSupergraphConfig, standingParts } from "../../hub/supergraph-config.ts";
import { type CeilingContext, ceilingOwner } from "./owners.ts";

const name = process.argv[2] ?? "";
const env = process.env;
// A date column as the hub's Prisma client reads it: midnight UTC of that day (pg's default is local midnight).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => new Date(`${value}T00:00:00Z`));
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
let statements = 0;
const sql = (text: string, values: unknown[]) => {
  statements++;
  return pool.query(text, values);
};

const owner = ceilingOwner(name, standingParts(loadSupergraphConfig()));
const apollo = new ApolloServer<CeilingContext>({
  schema: buildSubgraphSchema({ typeDefs: parse(owner.typeDefs), resolvers: owner.resolvers as never }),
});
await apollo.start();

async function readBody(req: import("node:http").IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const server = createServer(async (req, res) => {
  if (req.url === "/metrics") {
    res.end(`credit_hub_subgraph_sql_statements_total ${statements}\n`);
    return;
  }
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: "POST", headers, search: "", body: JSON.parse(await readBody(req)) },
    context: async () => ({ sql, caller: env.CEILING_CALLER ?? "", now: new Date(), loaders: new Map() }),
  });
  res.statusCode = response.status ?? 200;
  for (const [k, v] of response.headers) res.setHeader(k, v);
  res.end(response.body.kind === "complete" ? response.body.string : "");
});
server.listen(Number(env.PORT ?? 0), "127.0.0.1", () => {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`ceiling ${name} at ${base}/graphql (operator ${base})`);
});
