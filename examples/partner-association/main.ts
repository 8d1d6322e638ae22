/**
 * Runs the example partner subgraph as its own process:
 *   HUB_PUBLIC_KEY='<the hub's public JWK>' PORT=4010 npx tsx examples/partner-association/main.ts
 * (DATABASE_URL_PLASTICS for PostgreSQL; otherwise PGlite under DATA_DIR/plastics.)
 */
import { serveSubgraph } from "../../subgraphs/sdk/main.ts";
import { plastics } from "./schema/index.ts";

await serveSubgraph(plastics, 4010);
