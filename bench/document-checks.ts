import { readFileSync } from "node:fs";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import {
  buildASTSchema,
  type DocumentNode,
  type GraphQLSchema,
  parse,
  Source,
  specifiedRules,
  type ValidationRule,
  validate,
} from "graphql";
import { type EdgeOptions, edgeOptionsFromEnv } from "../gateway/edge-options.ts";
import { operationCost } from "../gateway/useCostLimit.ts";
import { useOperationLimits } from "../gateway/useOperationLimits.ts";

/**
 * What each of the gateway's document checks costs on documents built to be
 * hard for it, at 1×, 10× and 100× the size: µs per document, µs per KB, and
 * how time grows against size (linear: 10×/1× near 10, 100×/1× near 100).
 * The checks are the gateway's own plugins (useOperationLimits: graphql-armor's
 * token, depth, alias and directive limits) and its cost estimate
 * (useCostLimit), with limits set too high to stop early, so each walks the
 * whole document. graphql's own validation (the spec rules the gateway runs
 * too) is shown beside them for reference. Prints figures; asserts nothing.
 *
 *   npx tsx bench/document-checks.ts     (npm run bench:documents)
 */

const schema: GraphQLSchema = buildASTSchema(
  parse(readFileSync(new URL("../schema/supergraph.graphql", import.meta.url), "utf8")),
  { assumeValidSDL: true },
);

const HIGH = 1e15;
const options: EdgeOptions = {
  ...edgeOptionsFromEnv({}),
  maxTokens: HIGH,
  maxDepth: HIGH,
  maxAliases: HIGH,
  maxDirectives: HIGH,
};

/** The parse function and validation rules the gateway's limit plugins install, taken from the plugins themselves. */
function installed(plugins: GatewayPlugin[]) {
  let parseFn: ((source: Source) => DocumentNode) | undefined;
  const rules: ValidationRule[] = [];
  for (const plugin of plugins) {
    (plugin.onParse as ((p: unknown) => void) | undefined)?.({
      setParseFn: (fn: (source: Source) => DocumentNode) => {
        parseFn = fn;
      },
      params: { source: "" },
      context: {},
    });
    (plugin.onValidate as ((p: unknown) => void) | undefined)?.({
      addValidationRule: (rule: ValidationRule) => rules.push(rule),
      params: {},
      context: {},
    });
  }
  if (!parseFn || rules.length !== 3) throw new Error("The limit plugins no longer install what this bench expects.");
  return {
    parseFn,
    depth: rules[0] as ValidationRule,
    aliases: rules[1] as ValidationRule,
    directives: rules[2] as ValidationRule,
  };
}
const limits = installed(useOperationLimits(options));

type Check = { name: string; run: (text: string, doc: DocumentNode) => unknown };
const CHECKS: Check[] = [
  { name: "tokens (armor, parse)", run: (text) => limits.parseFn(new Source(text)) },
  { name: "graphql parse (ref.)", run: (text) => parse(text) },
  { name: "depth (armor)", run: (_, doc) => validate(schema, doc, [limits.depth]) },
  { name: "aliases (armor)", run: (_, doc) => validate(schema, doc, [limits.aliases]) },
  { name: "directives (armor)", run: (_, doc) => validate(schema, doc, [limits.directives]) },
  { name: "cost (useCostLimit)", run: (_, doc) => operationCost(schema, doc, undefined, {}) },
  { name: "graphql spec rules (ref.)", run: (_, doc) => validate(schema, doc, specifiedRules) },
];

const times = (n: number, f: (i: number) => string, sep = " ") => Array.from({ length: n }, (_, i) => f(i)).join(sep);

/**
 * Adversarial documents, by how many units they hold (1× is `base` units; 100× is about the production token
 * limit, 10,000). Past some thousands of nested fragments armor's depth rule and the cost estimate, both
 * recursive, run out of stack — at once, not slowly; the token limit keeps documents well short of that.
 */
const DOCUMENTS: { name: string; base: number; build: (n: number) => string }[] = [
  {
    // Each fragment spreads the one before twice: 2^n spreads of __typename in n lines.
    name: "nested fragments, each spread twice",
    base: 10,
    build: (n) =>
      `{ ...F${n} } fragment F0 on Query { __typename } ${times(n, (i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`)}`,
  },
  {
    name: "one deep fragment spread many times",
    base: 40,
    build: (n) =>
      `query ($u: USCC!) { enterprise(uscc: $u) { ${times(n, () => "...E")} } } fragment E on Enterprise { uscc name memberships { status association { name } enterprise { uscc name } } }`,
  },
  {
    name: "fragment-heavy: many fragments, many spreads each",
    base: 10,
    build: (n) =>
      `{ ${times(n, (i) => `...G${i}`)} } ${times(n, (i) => `fragment G${i} on Query { a${i}: __typename ${i > 0 ? `...G${i - 1} ...G${Math.floor(i / 2)}` : ""} }`)}`,
  },
  { name: "many aliases", base: 50, build: (n) => `{ ${times(n, (i) => `a${i}: __typename`)} }` },
  {
    name: "long token stream (one field, many arguments)",
    base: 50,
    build: (n) => `{ enterprises(nameContains: "x", first: 1 ${times(n, (i) => `x${i}: ${i}`)}) { uscc } }`,
  },
  {
    name: "many directives",
    base: 10,
    build: (n) => `{ ${times(n, (i) => `a${i}: __typename @include(if: true) @skip(if: false)`)} }`,
  },
  {
    name: "cost: lists in lists through fragments",
    base: 10,
    build: (n) =>
      `{ enterprises(nameContains: "x", first: 100) { ...L${n} } } fragment L0 on Enterprise { uscc } ${times(n, (i) => `fragment L${i + 1} on Enterprise { memberships { enterprise { ...L${i} } } ...L${i} }`)}`,
  },
];

/**
 * The fastest of repeated runs, in µs (at least 5, for ~30 ms): on a shared machine the fastest run is the one
 * least disturbed by other work, which is what the growth ratios need. Each size is warmed up first (JIT).
 */
function measure(run: () => unknown): number {
  for (const until = performance.now() + 15; performance.now() < until; ) run();
  let best = Number.POSITIVE_INFINITY;
  let runs = 0;
  for (const until = performance.now() + 30; runs < 5 || (performance.now() < until && runs < 500); runs++) {
    const start = performance.now();
    run();
    best = Math.min(best, (performance.now() - start) * 1000);
  }
  return best;
}

const fmt = (n: number, width = 9) => (n >= 100 ? n.toFixed(0) : n.toFixed(1)).padStart(width);
const SCALES = [1, 10, 100];

console.log("µs per document (per KB) at 1×, 10×, 100× the size; growth = time ratio ÷ size ratio (1.0 is linear)\n");
for (const d of DOCUMENTS) {
  const texts = SCALES.map((s) => d.build(d.base * s));
  const docs = texts.map((t) => parse(t, { noLocation: true }));
  const kb = texts.map((t) => Buffer.byteLength(t) / 1024);
  console.log(`${d.name}: ${kb.map((k) => `${k.toFixed(1)} KB`).join(" / ")}`);
  for (const check of CHECKS) {
    const us = SCALES.map((_, i) => measure(() => check.run(texts[i] as string, docs[i] as DocumentNode)));
    const [a, b, c] = us as [number, number, number];
    const [ka, kb10, kb100] = kb as [number, number, number];
    console.log(
      `  ${check.name.padEnd(27)}${us.map((u, i) => `${fmt(u)} µs (${fmt(u / (kb[i] as number), 6)}/KB)`).join(" ")}` +
        `   growth 10×: ${(b / a / (kb10 / ka)).toFixed(2)}  100×: ${(c / a / (kb100 / ka)).toFixed(2)}`,
    );
  }
}
