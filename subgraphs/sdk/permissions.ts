import { addResolversToSchema } from "@graphql-tools/schema";
import {
  defaultFieldResolver,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isAbstractType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from "graphql";
import { allow, type and, rule } from "graphql-shield";
import { SENSITIVITY_CLASSES, type Sensitivity } from "../../protocol/access-terms.ts";
import { forbidden, notFound, unauthenticated } from "../../protocol/errors.ts";
import { hasRole, type OrganisationType, type Role } from "../../protocol/identity.ts";
import {
  decide,
  denied,
  existenceRule,
  noteOf,
  type RequestAccess,
  type Subject,
  type SubjectDeclaration,
  visibleRows,
} from "./access.ts";

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
    ctx.access.note(noteOf(subject, `${typeName}.${info.fieldName}`, decision));
    return decision.allowed ? true : denied(decision);
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
      ctx.access.note(noteOf(subject, `${typeName}.${info.fieldName}`, decision));
      return decision.allowed ? true : denied(decision);
    },
  );
}

/** The subject and existence declaration of a type (`subjectOf`), if it has one. */
function declarationOf(type: GraphQLNamedType | null | undefined): SubjectDeclaration | undefined {
  if (!isObjectType(type)) return undefined;
  const { subject, existence } = type.extensions as Partial<SubjectDeclaration>;
  return subject && existence ? { subject, existence } : undefined;
}

/** Each type that says whose rows it holds, and the class that governs whether a caller may know a row exists. */
export function existenceMatrix(schema: GraphQLSchema): { type: string; existence: string }[] {
  return Object.values(schema.getTypeMap()).flatMap((type) => {
    const declaration = declarationOf(type);
    return declaration ? [{ type: type.name, existence: existenceRule(declaration.existence) }] : [];
  });
}

/** The rule of every field, from the declarations and the table; throws on any field left undecided. */
export function permissionMatrix(schema: GraphQLSchema, table: PermissionTable): MatrixRow[] {
  const rows: MatrixRow[] = [];
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const subject = type.extensions?.subject as ((row: unknown) => Subject) | undefined;
    const existence = type.extensions?.existence as SubjectDeclaration["existence"] | undefined;
    // Deny by default for rows too: a type whose rows have an owner must say who may know a row exists.
    if (subject && !existence)
      problems.push(
        `${type.name} says whose rows it holds but not who may know a row exists (subjectOf(..., { exists }))`,
      );
    else if (existence && typeof existence.exists !== "function" && !SENSITIVITY_CLASSES.includes(existence.exists))
      problems.push(`${type.name}: unknown existence class ${existence.exists}`);
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

type Resolver = GraphQLFieldResolver<object, PermissionContext>;

/** Asks the field's rule first: `true` runs the resolver, an Error is the answer, anything else is FORBIDDEN. */
function checked(check: IRule, resolve: Resolver): Resolver {
  return async (parent, args, context, info) => {
    // Every rule here is `no_cache`, so shield never reads its own context (`_shield`) from ours.
    const verdict = await check.resolve(parent, args, context as never, info, RULE_OPTIONS);
    if (verdict === true) return resolve(parent, args, context, info);
    throw verdict instanceof Error ? verdict : forbidden("Not permitted.");
  };
}

/** Codes that mean "refused", whichever rule or resolver refused. */
const REFUSALS = new Set(["FORBIDDEN", "UNAUTHENTICATED"]);

/** Reads every USCC the arguments carry, at the top or in an input object: the enterprises a change names. */
function usccsIn(args: readonly GraphQLArgument[]): (values: Record<string, unknown>) => string[] {
  const paths: string[][] = [];
  const walk = (type: GraphQLInputType, path: string[], depth: number) => {
    const named = getNamedType(type);
    if (isScalarType(named) && named.name === "USCC") paths.push(path);
    else if (isInputObjectType(named) && depth < 3)
      for (const f of Object.values(named.getFields())) walk(f.type, [...path, f.name], depth + 1);
  };
  for (const arg of args) walk(arg.type, [arg.name], 0);
  return (values) =>
    paths.flatMap((path) => {
      const value = path.reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], values);
      return [value].flat().filter((u): u is string => typeof u === "string");
    });
}

/**
 * A refused change is audited like a refused read: the caller, each
 * enterprise the arguments name (or none), the field, DENIED — one entry per
 * enterprise per request, like reads.
 */
function auditedWrite(field: GraphQLField<unknown, unknown>, resolve: Resolver): Resolver {
  const usccsOf = usccsIn(field.args);
  return async (parent, args, context, info) => {
    try {
      return await resolve(parent, args, context, info);
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (REFUSALS.has(String(code))) {
        const usccs = usccsOf(args as Record<string, unknown>);
        for (const uscc of usccs.length ? usccs : [null])
          context.access.note({
            subject: { ownerId: null, uscc },
            field: `${info.parentType.name}.${info.fieldName}`,
            allowed: false,
            action: "WRITE",
          });
      }
      throw error;
    }
  };
}

/**
 * Leaves out the rows the caller may not know exist, on any field that
 * returns a type declared with `subjectOf`: a list drops them, a single one
 * answers like one that is not there (the root field's declared not-found,
 * else null). Each withheld row is noted as a denial, so the enterprise sees
 * the attempt in its access history. `_entities` keeps its positions: a
 * withheld entity is null there, as one not found.
 */
function existenceChecked(
  schema: GraphQLSchema,
  parentType: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  resolve: Resolver,
): Resolver | null {
  const returned = getNamedType(field.type);
  const fixed = declarationOf(returned);
  if (!fixed && !(isAbstractType(returned) && schema.getPossibleTypes(returned).some((t) => declarationOf(t))))
    return null;
  const where = `${parentType.name}.${field.name}`;
  const isList = isListType(getNullableType(field.type));
  const isRoot = parentType === schema.getQueryType();
  return async (parent, args, context, info) => {
    const result = await resolve(parent, args, context, info);
    if (result == null) return result;
    const typeOf = (row: unknown) =>
      fixed ? returned : info.schema.getType(String((row as { __typename?: unknown })?.__typename));
    const declarationFor = (row: unknown) => fixed ?? declarationOf(typeOf(row));
    const known = async (row: unknown) => {
      if (row == null) return true;
      // Deny by default: a row whose type cannot be told might be one with a subject.
      if (!isObjectType(typeOf(row))) return false;
      const declaration = declarationFor(row);
      return !declaration || (await visibleRows([row], declaration, context.access, where)).length > 0;
    };
    if (isList) {
      const rows = await Promise.all(result as unknown[]);
      if (fixed) return visibleRows(rows, fixed, context.access, where);
      return Promise.all(rows.map(async (row) => ((await known(row)) ? row : null)));
    }
    if (await known(result)) return result;
    const declared = declarationFor(result)?.existence.notFound;
    if (isRoot && declared) throw declared(args as Record<string, unknown>);
    if (!isNonNullType(field.type)) return null;
    throw notFound("Not found.");
  };
}

/**
 * The schema with the permission layer applied. Each field whose rule has
 * something to decide gets a wrapper that asks the rule first; each field
 * that returns rows with a subject, one that leaves out rows the caller may
 * not know exist; each mutation, one that audits a refusal. A field with none
 * of these (PUBLIC values, federation plumbing) keeps its resolver as it is:
 * shield's own middleware wrapped every field, and on lists of a hundred
 * enterprises that cost more than the decisions themselves (see
 * bench/RESULTS.md). Deny by default still holds: the matrix refuses any field
 * left undecided.
 */
export function applyPermissions(schema: GraphQLSchema, table: PermissionTable): GraphQLSchema {
  const resolvers: Record<string, Record<string, Resolver>> = {};
  const mutation = schema.getMutationType();
  for (const row of permissionMatrix(schema, table)) {
    const type = schema.getType(row.type) as GraphQLObjectType;
    const field = type.getFields()[row.field] as GraphQLField<unknown, unknown>;
    const original = (field.resolve ?? defaultFieldResolver) as Resolver;
    let resolve = row.rule === allow ? original : checked(row.rule, original);
    if (type === mutation) resolve = auditedWrite(field, resolve);
    resolve = existenceChecked(schema, type, field, resolve) ?? resolve;
    if (resolve === original) continue;
    const fields = resolvers[row.type] ?? {};
    resolvers[row.type] = fields;
    fields[row.field] = resolve;
  }
  return addResolversToSchema({
    schema,
    resolvers,
    updateResolversInPlace: false,
    resolverValidationOptions: { requireResolversForResolveType: "ignore" },
  });
}

/** One table from several (a subgraph's own and those the SDK's schema pieces return); a field named twice is an error. */
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
