import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { badInput } from "../../protocol/errors.ts";
import { describeUsccProblem, findUsccProblem, normalizeUscc } from "../../protocol/uscc.ts";
import { quote } from "./validation.ts";

/**
 * Scalars every subgraph shares. Each subgraph registers the same definitions,
 * so composition sees identical types and every owner validates input itself.
 */

function stringLiteral(ast: ValueNode, typeName: string): string {
  if (ast.kind !== Kind.STRING) throw badInput(`${typeName} must be given as a string.`);
  return ast.value;
}

export function parseUscc(value: unknown): string {
  if (typeof value !== "string") throw badInput("A Unified Social Credit Code must be a string.");
  const code = normalizeUscc(value);
  const problem = findUsccProblem(code);
  if (problem)
    // Quoted short: the value may be anything up to the request's size, and is never sent back whole.
    throw badInput(`Invalid Unified Social Credit Code ${quote(value)}: ${describeUsccProblem(problem)}`, {
      uscc: value.length <= 64 ? value : `${value.slice(0, 64)}…`,
    });
  return code;
}

export const USCCScalar = new GraphQLScalarType<string, string>({
  name: "USCC",
  description:
    "Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters from 0-9 and A-H J-N P Q R T U W X Y, the last being a check character.",
  serialize: (value) => String(value),
  parseValue: parseUscc,
  parseLiteral: (ast) => parseUscc(stringLiteral(ast, "USCC")),
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(value: unknown): Date {
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  if (!match)
    throw badInput(`A Date is written YYYY-MM-DD; got ${typeof value === "string" ? quote(value) : typeof value}.`);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date.toISOString().slice(0, 10) !== value) throw badInput(`${quote(value)} is not a calendar date.`);
  return date;
}

export const DateScalar = new GraphQLScalarType<Date, string>({
  name: "Date",
  description: "A calendar date, YYYY-MM-DD (UTC).",
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString().slice(0, 10),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(stringLiteral(ast, "Date")),
});

export function parseDateTime(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(value)))
    throw badInput(
      `A DateTime is an ISO 8601 timestamp such as 2026-01-31T08:00:00Z; got ${typeof value === "string" ? quote(value) : typeof value}.`,
    );
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An instant, ISO 8601 in UTC.",
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(stringLiteral(ast, "DateTime")),
});
