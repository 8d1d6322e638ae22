import { addResolversToSchema } from "@graphql-tools/schema";
import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
} from "graphql";
import { allow, type and, rule } from "graphql-shield";
import { decide, type RequestAccess, SENSITIVITY_CLASSES, type Sensitivity, type Subject } from "./access.ts";
import { forbidden, unauthenticated } from "./errors.ts";
import { hasRole, type OrganisationType, type Role } from "./identity.ts";

/**
 * Deny by default, with graphql-shield's rules. Every field of every subgraph is
 * either classified where it is defined (`classified("SHARED")`, decided per
 * row by `decide`) or named in the subgraph's permission table; a field with
 * neither stops the subgraph from starting. Rules never cache across rows.
 */

/** Any shield rule, logic rules and allow/deny included. */
type IRule = Parameters<typeof and>[0];

interface PermissionContext {
  caller: RequestAccess["caller"];
  access: RequestAccess;
}

/** A shield rule with the name the access matrix shows for it. */
export interface NamedRule {
  name: string;
  rule: IRule;
}

const named = (name: string, r: IRule): NamedRule => ({ name, rule: r });

/** shield refuses two rules of one name, so each parameterised rule is made once. */
function once<A extends string>(make: (arg: A) => NamedRule): (arg: A) => NamedRule {
  const made = new Map<A, NamedRule>();
  return (arg) => {
    const r = made.get(arg) ?? make(arg);
    made.set(arg, r);
    return r;
  };
}

/** Single-purpose rules for the permission tables. */
export const rules = {
  anyone: named("anyone", allow),
  signedIn: named(
    "signed in",
    rule("signedIn", { cache: "no_cache" })((_p, _a, ctx: PermissionContext) =>
      ctx.caller.kind === "organisation"
        ? true
        : unauthenticated("Sign in with your organisation's API key to do this."),
    ),
  ),
  hasRole: once((role: Role) =>
    named(
      `${role} key`,
      rule(`hasRole:${role}`, { cache: "no_cache" })((_p, _a, ctx: PermissionContext) => {
        if (ctx.caller.kind !== "organisation")
          return unauthenticated("Sign in with your organisation's API key to do this.");
        return hasRole(ctx.caller, role) ? true : forbidden(`This API key does not have the ${role} role.`);
      }),
    ),
  ),
  staffOf: once((type: OrganisationType) =>
    named(
      `${type} staff`,
      rule(`staffOf:${type}`, { cache: "no_cache" })((_p, _a, ctx: PermissionContext) => {
        const caller = ctx.caller;
        if (caller.kind !== "organisation")
          return unauthenticated("Sign in with your organisation's API key to do this.");
        if (caller.organisationType !== type) return forbidden(`Only ${type} organisations can do this.`);
        return hasRole(caller, "STAFF") ? true : forbidden("This API key does not have the STAFF role.");
      }),
    ),
  ),
  /** Decided in the resolver, which must look at the row first (named so the matrix says where). */
  checkedInResolver: once((what: string) => named(`checked in resolver: ${what}`, allow)),
};

/** Explicit rules for fields that carry no sensitivity class: root fields and non-credit types ("*": every field of the type). */
export type PermissionTable = Record<string, Record<string, NamedRule>>;

export interface MatrixRow {
  type: string;
  field: string;
  sensitivity: Sensitivity | null;
  /** What the access matrix shows. */
  ruleName: string;
  rule: IRule;
}

/** Federation plumbing: let through once the hub token is verified, which happens before any of this runs. */
const FEDERATION_FIELDS: Record<string, string[]> = { Query: ["_service", "_entities"], _Service: ["sdl"] };

function classRule(typeName: string, cls: Sensitivity, subjectOf: (row: unknown) => Subject): IRule {
  if (cls === "PUBLIC") return allow;
  // One rule per type and class (shield wants unique names); every field of that class on that type shares it.
  return rule(`${typeName}:${cls}`, { cache: "no_cache" })(async (parent, _a, ctx: PermissionContext, info) => {
    const subject = subjectOf(parent);
    const decision = await decide(cls, subject, ctx.access);
    ctx.access.note({ subject, field: `${typeName}.${info.fieldName}`, allowed: decision.allowed });
    return decision.allowed ? true : forbidden(decision.reason);
  });
}

function rowClassRule(
  typeName: string,
  fieldName: string,
  classOf: (row: unknown) => Sensitivity,
  subjectOf: (row: unknown) => Subject,
): IRule {
  return rule(`${typeName}.${fieldName}:byRow`, { cache: "no_cache" })(
    async (parent, _a, ctx: PermissionContext, info) => {
      const cls = classOf(parent);
      if (cls === "PUBLIC") return true;
      const subject = subjectOf(parent);
      const decision = await decide(cls, subject, ctx.access);
      ctx.access.note({ subject, field: `${typeName}.${info.fieldName}`, allowed: decision.allowed });
      return decision.allowed ? true : forbidden(decision.reason);
    },
  );
}

/** The rule of every field, from the declarations and the table; throws on any field left undecided. */
export function permissionMatrix(schema: GraphQLSchema, table: PermissionTable): MatrixRow[] {
  const rows: MatrixRow[] = [];
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const subject = type.extensions?.subject as ((row: unknown) => Subject) | undefined;
    const classRules = new Map<Sensitivity, IRule>();
    const ruleFor = (cls: Sensitivity) => {
      const r = classRules.get(cls) ?? classRule(type.name, cls, subject ?? (() => ({ ownerId: "", uscc: "" })));
      classRules.set(cls, r);
      return r;
    };
    for (const field of Object.values(type.getFields())) {
      const at = { type: type.name, field: field.name };
      const sensitivity = field.extensions?.sensitivity as Sensitivity | undefined;
      const sensitivityOf = field.extensions?.sensitivityOf as ((row: unknown) => Sensitivity) | undefined;
      const explicit = table[type.name]?.[field.name] ?? table[type.name]?.["*"];
      if ((sensitivity || sensitivityOf) && explicit)
        problems.push(`${type.name}.${field.name} has both a class and a table rule`);
      else if (sensitivityOf) {
        if (!subject) problems.push(`${type.name} has fields classified by row but no subjectOf(...)`);
        else
          rows.push({
            ...at,
            sensitivity: null,
            ruleName: `class by row: ${String(field.extensions?.sensitivityRule)}`,
            rule: rowClassRule(type.name, field.name, sensitivityOf, subject),
          });
      } else if (sensitivity) {
        if (!SENSITIVITY_CLASSES.includes(sensitivity))
          problems.push(`${type.name}.${field.name}: unknown class ${sensitivity}`);
        else if (sensitivity !== "PUBLIC" && !subject)
          problems.push(`${type.name} has ${sensitivity} fields but no subjectOf(...) saying whose rows they are`);
        else rows.push({ ...at, sensitivity, ruleName: `class ${sensitivity}`, rule: ruleFor(sensitivity) });
      } else if (explicit) rows.push({ ...at, sensitivity: null, ruleName: explicit.name, rule: explicit.rule });
      else if (FEDERATION_FIELDS[type.name]?.includes(field.name))
        rows.push({ ...at, sensitivity: null, ruleName: "federation (hub token verified)", rule: allow });
      else problems.push(`${type.name}.${field.name} has no sensitivity class and no rule`);
    }
  }
  for (const [typeName, fields] of Object.entries(table))
    for (const field of Object.keys(fields))
      if (field !== "*" && !rows.some((r) => r.type === typeName && r.field === field))
        problems.push(`the table names ${typeName}.${field}, which does not exist`);
  if (problems.length) throw new Error(`Permissions are incomplete:\n- ${problems.join("\n- ")}`);
  return rows;
}

/** What shield's rules read of its options; with `no_cache` rules, only that errors are not rethrown. */
const RULE_OPTIONS = { debug: false } as unknown as Parameters<IRule["resolve"]>[4];

/**
 * The schema with the permission layer applied. Each field whose rule has
 * something to decide gets a wrapper that asks the rule first: `true` runs the
 * resolver, an Error is the answer, anything else is FORBIDDEN. A field the
 * matrix allows outright (PUBLIC, federation plumbing) keeps its resolver as
 * it is: shield's own middleware wrapped every field, and on lists of a
 * hundred enterprises that cost more than the decisions themselves (see
 * bench/RESULTS.md). Deny by default still holds: the matrix refuses any field
 * left undecided.
 */
export function applyPermissions(schema: GraphQLSchema, table: PermissionTable): GraphQLSchema {
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<object, PermissionContext>>> = {};
  for (const row of permissionMatrix(schema, table)) {
    if (row.rule === allow) continue;
    const type = schema.getType(row.type) as GraphQLObjectType;
    const resolve = type.getFields()[row.field]?.resolve ?? defaultFieldResolver;
    const check = row.rule;
    const fields = resolvers[row.type] ?? {};
    resolvers[row.type] = fields;
    fields[row.field] = async (parent, args, context, info) => {
      // Every rule here is `no_cache`, so shield never reads its own context (`_shield`) from ours.
      const verdict = await check.resolve(parent, args, context as never, info, RULE_OPTIONS);
      if (verdict === true) return resolve(parent, args, context, info);
      throw verdict instanceof Error ? verdict : forbidden("Not permitted.");
    };
  }
  return addResolversToSchema({
    schema,
    resolvers,
    updateResolversInPlace: false,
    resolverValidationOptions: { requireResolversForResolveType: "ignore" },
  });
}

/** One table from several (a subgraph's own and those the kit's schema pieces return); a field named twice is an error. */
export function mergePermissionTables(...tables: PermissionTable[]): PermissionTable {
  const merged: PermissionTable = {};
  for (const table of tables)
    for (const [type, fields] of Object.entries(table))
      for (const [field, r] of Object.entries(fields)) {
        merged[type] ??= {};
        if (merged[type][field]) throw new Error(`Two permission rules for ${type}.${field}.`);
        merged[type][field] = r;
      }
  return merged;
}
