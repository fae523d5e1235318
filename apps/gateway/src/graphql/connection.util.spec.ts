import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor } from '@heliomesh/core';
import type { Connection } from './connection.types.js';
import { pageInMemory, toConnection } from './connection.util.js';

const position = (x: { name: string; id: string }) => ({ key: x.name, id: x.id });

describe('pageInMemory', () => {
  it('pages through any list exactly once, in order, for any page size', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ name: fc.string({ maxLength: 6 }), id: fc.uuid() }), {
          selector: (x) => x.id,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 15 }),
        (items, first) => {
          const seen: string[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 100; guard++) {
            const page: Connection<{ name: string; id: string }> = pageInMemory(items, position, {
              first,
              after,
            });
            expect(page.edges.length).toBeLessThanOrEqual(first);
            seen.push(...page.nodes.map((n) => n.id));
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
          const expected = [...items]
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
            .map((x) => x.id);
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('refuses page sizes outside 1..500 and cursors it did not issue', () => {
    expect(() => pageInMemory([], position, { first: 0 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_INVALID', path: '$.first' }),
    );
    expect(() => pageInMemory([], position, { first: 501 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_INVALID' }),
    );
    expect(() => pageInMemory([], position, { after: 'not-a-cursor' })).toThrow(
      expect.objectContaining({ code: 'CURSOR_INVALID' }),
    );
  });
});

describe('toConnection', () => {
  it("gives every edge the use case's cursor for its node, and passes nextCursor as endCursor", () => {
    const items = [
      { name: 'a', id: '1' },
      { name: 'b', id: '2' },
    ];
    const c = toConnection({ items, nextCursor: 'NEXT' }, position);
    expect(c.edges.map((e) => decodeCursor(e.cursor))).toEqual([
      { key: 'a', id: '1' },
      { key: 'b', id: '2' },
    ]);
    expect(c.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: c.edges[0]!.cursor,
      endCursor: 'NEXT',
    });
    expect(toConnection({ items: [] }, position).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
