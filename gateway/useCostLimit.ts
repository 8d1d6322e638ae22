import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from "graphql";

/**
 * What one operation may cost, estimated before anything is executed: every
 * selected field counts 1, times the size of each list it sits in.
 *
 * Hand-written because nothing maintained counts what this hub's costs are:
 * - the runtime's `demandControl` sizes lists only from numeric slicing
 *   arguments named in `@listSize` on the subgraphs' schema (never a list
 *   argument's length, as `standings(usccs:)` needs), and it prices each
 *   subgraph request as it is sent, so an operation over the limit is refused
 *   only after its first subgraph requests already ran;
 * - graphql-armor's cost-limit reads `first`/`last` only as literals (not
 *   variables, not list arguments) and weights by depth, not by list size.
 *
 * Linear in the document: each fragment is priced once (per request, as its
 * variables size its lists) and reused at every spread, so fragments spread
 * many times, nested fragments included, cost no more time than written out once.
 */
export interface CostOptions {
  /** The highest cost an operation may have; null: no limit. */
  maxCost: number | null;
  /** What the refusal looks like (the hub's error, with its code and status). */
  refuse(cost: number, max: number): GraphQLError;
}

/** A list with no argument that sizes it (an enterprise's memberships, a standing's owners) is taken to hold this many. */
export const ASSUMED_LIST_SIZE = 3;
/** Arguments whose value is how many items a list field returns (or, on a page object, its lists). */
const SLICING_ARGUMENTS = new Set(["first", "last", "limit"]);

type Variables = Readonly<Record<string, unknown>>;

/** The value an argument has in this request: its literal, the variable's value, or the variable's default. */
function argumentValue(node: ValueNode, variables: Variables, operation: OperationDefinitionNode): unknown {
  if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node, variables);
  const name = node.name.value;
  if (Object.hasOwn(variables, name)) return variables[name];
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  return definition?.defaultValue ? valueFromASTUntyped(definition.defaultValue) : undefined;
}

/**
 * How many items a field's answer holds, when its arguments say: the length
 * of a list argument (`standings(usccs: [...])` gives one standing per code),
 * else a `first`-style argument's value or its schema default. `page` is true
 * when the field is no list itself but a page object whose lists hold that
 * many (`sharedRecordChanges(first:) { changes }`). Null: nothing says.
 */
function sizeOf(
  field: GraphQLField<unknown, unknown>,
  args: ReadonlyMap<string, ValueNode>,
  variables: Variables,
  operation: OperationDefinitionNode,
): { size: number; page: boolean } | null {
  const isList = isListType(getNullableType(field.type));
  let size: number | null = null;
  for (const definition of field.args) {
    const node = args.get(definition.name);
    const value = node ? argumentValue(node, variables, operation) : definition.defaultValue;
    if (isList && isListType(getNullableType(definition.type))) {
      // A list argument of a list field: one answer per item (a single value is coerced to a list of one).
      const n = Array.isArray(value) ? value.length : value == null ? 0 : 1;
      size = Math.max(size ?? 0, n);
    } else if (SLICING_ARGUMENTS.has(definition.name) && typeof value === "number" && Number.isFinite(value))
      size = Math.max(size ?? 0, value);
  }
  return size === null ? null : { size: Math.max(size, 0), page: !isList };
}

/**
 * A selection set's cost as `fixed + perItem × n`, where n is the size of the
 * lists in it that no argument sizes: ASSUMED_LIST_SIZE, or the page size when
 * the set is a page object's. Kept apart so a fragment is priced once whatever
 * page it is spread into.
 */
interface Cost {
  fixed: number;
  perItem: number;
}
const total = (c: Cost, pageSize: number | null) => c.fixed + c.perItem * (pageSize ?? ASSUMED_LIST_SIZE);

/** The cost of the operation `operationName` picks, or null when the document has no such operation. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables = {},
): number | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  let operations = 0;
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) {
      operations++;
      if (!operationName || d.name?.value === operationName) operation = d;
    }
  if (!operation || (!operationName && operations > 1)) return null;
  const op = operation;
  const root = schema.getRootType(op.operation);
  if (!root) return null;

  // A fragment's cost depends on its selections and this request's variables only: priced once, reused at every
  // spread. One still being priced when spread again is a cycle, which validation has already refused.
  const priced = new Map<string, Cost>();
  const fragmentCost = (name: string): Cost => {
    const known = priced.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    const nothing = { fixed: 0, perItem: 0 };
    if (!fragment || !isCompositeType(type)) return nothing;
    priced.set(name, nothing);
    const cost = selectionCost(fragment.selectionSet, type);
    priced.set(name, cost);
    return cost;
  };

  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType): Cost => {
    const cost: Cost = { fixed: 0, perItem: 0 };
    const add = (c: Cost) => {
      cost.fixed += c.fixed;
      cost.perItem += c.perItem;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) add(fragmentCost(selection.name.value));
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) add(selectionCost(selection.selectionSet, type));
      } else {
        const name = selection.name.value;
        // Introspection is for operators only (see mayIntrospect) and answers from the gateway's memory.
        if (name === "__schema" || name === "__type") continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) {
          cost.fixed += 1; // __typename (validation has refused unknown fields)
          continue;
        }
        const type = getNamedType(field.type);
        const below =
          selection.selectionSet && isCompositeType(type)
            ? selectionCost(selection.selectionSet, type)
            : { fixed: 0, perItem: 0 };
        const args = new Map((selection.arguments ?? []).map((a) => [a.name.value, a.value]));
        const sized = sizeOf(field, args, variables, op);
        if (sized?.page) cost.fixed += 1 + total(below, sized.size);
        else if (sized) cost.fixed += sized.size * (1 + total(below, null));
        else if (isListType(getNullableType(field.type))) cost.perItem += 1 + total(below, null);
        else cost.fixed += 1 + total(below, null);
      }
    }
    return cost;
  };

  return total(selectionCost(op.selectionSet, root), null);
}

/** Refuses, before execution, an operation whose estimated cost is above the limit (see operationCost). */
export function useCostLimit(options: CostOptions): GatewayPlugin {
  const max = options.maxCost;
  return {
    onExecute({ args }) {
      if (max === null) return;
      const cost = operationCost(
        args.schema,
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Variables,
      );
      if (cost !== null && cost > max) throw options.refuse(cost, max);
    },
  };
}
