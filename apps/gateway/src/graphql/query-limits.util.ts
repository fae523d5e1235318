import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  GraphQLList,
  type GraphQLNamedType,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { HeliomeshError } from '@heliomesh/util';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

export interface QueryMeasure {
  depth: number;
  cost: number;
}

/** What a list field without a `first` argument is assumed to hold (versions, policies of a service). */
export const ASSUMED_LIST_SIZE = 10;
/** A connection's page size when the query does not say (the connections' own default). */
export const ASSUMED_PAGE_SIZE = 50;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * Depth and estimated cost of the operation a request runs. Cost counts every field once per
 * object it is resolved on: a field under `services(first: 100)` counts 100 times, one under an
 * unpaged list ASSUMED_LIST_SIZE times; fields declared with a complexity (compiling, asking the
 * collector) count that much. Introspection (`__schema`, `__typename`) is free, so GraphiQL works.
 */
export function measureQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined | null,
  variables: Record<string, unknown> = {},
): QueryMeasure {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { depth: 0, cost: 0 };
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return measureSet({ schema, fragments, variables }, operation.selectionSet, root, 1, new Set());
}

function measureSet(
  walk: Walk,
  set: SelectionSetNode,
  parent: GraphQLNamedType,
  multiplier: number,
  spreads: Set<string>,
): QueryMeasure {
  let depth = 0;
  let cost = 0;
  const add = (m: QueryMeasure) => {
    depth = Math.max(depth, m.depth);
    cost += m.cost;
  };
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      add(measureField(walk, selection, parent, multiplier, spreads));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type) add(measureSet(walk, selection.selectionSet, type, multiplier, spreads));
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      const type = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      // A fragment spread inside itself is a validation error; never loop on one regardless.
      if (!fragment || !type || spreads.has(fragment.name.value)) continue;
      add(
        measureSet(walk, fragment.selectionSet, type, multiplier, new Set([...spreads, fragment.name.value])),
      );
    }
  }
  return { depth, cost };
}

function measureField(
  walk: Walk,
  node: import('graphql').FieldNode,
  parent: GraphQLNamedType,
  multiplier: number,
  spreads: Set<string>,
): QueryMeasure {
  if (node.name.value.startsWith('__')) return { depth: 0, cost: 0 };
  const field = fieldOf(parent, node.name.value);
  if (!field) return { depth: 1, cost: multiplier };
  const complexity = field.extensions?.['complexity'];
  const weight = typeof complexity === 'number' && complexity > 0 ? complexity : 1;
  const own = { depth: 1, cost: multiplier * weight };
  const type = getNamedType(field.type);
  if (!node.selectionSet || !isCompositeType(type)) return own;
  const inner = measureSet(
    walk,
    node.selectionSet,
    type,
    multiplier * fanOut(walk, node, field, parent),
    spreads,
  );
  return { depth: 1 + inner.depth, cost: own.cost + inner.cost };
}

function fieldOf(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** How many objects a field's selection is resolved on, per object of its parent. */
function fanOut(
  walk: Walk,
  node: import('graphql').FieldNode,
  field: GraphQLField<unknown, unknown>,
  parent: GraphQLNamedType,
): number {
  // edges/nodes of a connection were already counted by the connection's page size.
  if (parent.name.endsWith('Connection')) return 1;
  const first = node.arguments?.find((a) => a.name.value === 'first');
  if (first) return sizeOf(first.value, walk.variables, ASSUMED_PAGE_SIZE);
  const declared = field.args.find((a) => a.name === 'first');
  if (declared) return typeof declared.defaultValue === 'number' ? declared.defaultValue : ASSUMED_PAGE_SIZE;
  if (getNamedType(field.type).name.endsWith('Connection')) return ASSUMED_PAGE_SIZE;
  return getNullableType(field.type) instanceof GraphQLList ? ASSUMED_LIST_SIZE : 1;
}

function sizeOf(value: ValueNode, variables: Record<string, unknown>, fallback: number): number {
  const raw =
    value.kind === Kind.VARIABLE
      ? variables[value.name.value]
      : value.kind === Kind.INT
        ? Number(value.value)
        : undefined;
  return typeof raw === 'number' && Number.isFinite(raw) ? Math.max(1, Math.floor(raw)) : fallback;
}

/** Refuses an operation over the limits with a 400 that says how far over and what to do. */
export function checkQueryLimits(measure: QueryMeasure, limits: QueryLimits): void {
  if (measure.depth > limits.maxDepth)
    throw new HeliomeshError({
      code: 'QUERY_TOO_DEEP',
      status: 400,
      message: `The query nests ${measure.depth} fields deep; the limit is ${limits.maxDepth}. Split it into several queries.`,
      path: ['query'],
    });
  if (measure.cost > limits.maxCost)
    throw new HeliomeshError({
      code: 'QUERY_TOO_COSTLY',
      status: 400,
      message: `The query's estimated cost is ${measure.cost}; the limit is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
      path: ['query'],
    });
}
