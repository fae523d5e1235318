import fc from 'fast-check';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ASSUMED_LIST_SIZE, ASSUMED_PAGE_SIZE, checkQueryLimits, measureQuery } from './query-limits.util.js';

const schema = buildSchema(`
  type Query { node: Node  nodes(first: Int = 50): NodeConnection!  leaf: Int  items: [Node!]! }
  type Node { id: ID!  child: Node  children: [Node!]!  page(first: Int): NodeConnection! }
  type NodeConnection { edges: [NodeEdge!]!  nodes: [Node!]!  pageInfo: PageInfo! }
  type NodeEdge { cursor: String!  node: Node! }
  type PageInfo { hasNextPage: Boolean! }
`);

const measure = (query: string, variables?: Record<string, unknown>) =>
  measureQuery(schema, parse(query), undefined, variables);

/** `{ node { child { child { ... id } } } }` nested `depth` fields deep. */
const chain = (depth: number) =>
  `{ ${'node { '.repeat(1)}${'child { '.repeat(depth - 2)}id${' }'.repeat(depth - 1)} }`;

describe('measureQuery', () => {
  it('counts depth as nested fields, whatever the nesting', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), (depth) => {
        expect(measure(chain(depth)).depth).toBe(depth);
      }),
    );
  });

  it('multiplies what is inside a page by its size, and counts edges/nodes once per page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (first) => {
        const { cost } = measure(`{ nodes(first: ${first}) { edges { node { id } } } }`);
        // nodes 1, edges first, node first, id first
        expect(cost).toBe(1 + 3 * first);
      }),
    );
  });

  it('reads page sizes from variables, and uses the argument default without one', () => {
    expect(measure('query($n: Int) { nodes(first: $n) { nodes { id } } }', { n: 7 }).cost).toBe(1 + 2 * 7);
    expect(measure('{ nodes { nodes { id } } }').cost).toBe(1 + 2 * 50);
    expect(measure('query($n: Int) { nodes(first: $n) { nodes { id } } }').cost).toBe(
      1 + 2 * ASSUMED_PAGE_SIZE,
    );
  });

  it('assumes a size for unpaged lists and multiplies nested pages', () => {
    expect(measure('{ items { id } }').cost).toBe(1 + ASSUMED_LIST_SIZE);
    expect(measure('{ nodes(first: 10) { nodes { page(first: 20) { nodes { id } } } } }').cost).toBe(
      1 + 10 + 10 + 10 * 20 + 10 * 20,
    );
  });

  it('grows with every page size (a bigger page never costs less)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 100 }), (a, extra) => {
        const q = (n: number) => `{ nodes(first: ${n}) { nodes { children { id } } } }`;
        expect(measure(q(a + extra)).cost).toBeGreaterThan(measure(q(a)).cost);
      }),
    );
  });

  it('follows fragments and inline fragments, and never loops on a spread', () => {
    const q = `query { node { ...F } } fragment F on Node { id child { ... on Node { id } } }`;
    expect(measure(q)).toEqual({ depth: 3, cost: 4 });
    const cyclic = `query { node { ...A } } fragment A on Node { child { ...A } }`;
    expect(measure(cyclic).depth).toBeLessThan(5);
  });

  it('leaves introspection free so GraphiQL works under any limit', () => {
    expect(measure('{ __schema { types { name fields { type { ofType { ofType { name } } } } } } }')).toEqual(
      {
        depth: 0,
        cost: 0,
      },
    );
  });

  it('never throws on documents that do not match the schema (validation reports those)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('node', 'nodes', 'leaf', 'nope', 'child', 'edges', '__typename'), {
          minLength: 1,
          maxLength: 8,
        }),
        (path) => {
          const q = `{ ${path.join(' { ')} ${' }'.repeat(path.length - 1)} }`;
          const m = measure(q);
          expect(m.depth).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(m.cost)).toBe(true);
        },
      ),
    );
  });
});

describe('checkQueryLimits', () => {
  it('refuses a deep query with QUERY_TOO_DEEP and a costly one with QUERY_TOO_COSTLY', () => {
    expect(() => checkQueryLimits({ depth: 13, cost: 1 }, { maxDepth: 12, maxCost: 100 })).toThrow(
      expect.objectContaining({ code: 'QUERY_TOO_DEEP', status: 400, path: '$.query' }),
    );
    expect(() => checkQueryLimits({ depth: 2, cost: 101 }, { maxDepth: 12, maxCost: 100 })).toThrow(
      expect.objectContaining({ code: 'QUERY_TOO_COSTLY', status: 400 }),
    );
    expect(() => checkQueryLimits({ depth: 12, cost: 100 }, { maxDepth: 12, maxCost: 100 })).not.toThrow();
  });
});
