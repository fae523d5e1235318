import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, type Page } from '@heliomesh/core';
import { HeliomeshError } from '@heliomesh/util';
import type { Connection } from './connection.types.js';

/** The keyset position a cursor encodes: the sort key and id of a node. */
export type CursorPosition = Parameters<typeof encodeCursor>[0];

export const DEFAULT_FIRST = 50;
export const MAX_FIRST = MAX_PAGE_SIZE;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** The use cases' paging arguments (`limit`, `cursor`) for a connection's `first` and `after`. */
export function useCasePage(args: PageArgs): { limit?: number; cursor?: string } {
  return {
    ...(args.first !== null && args.first !== undefined ? { limit: args.first } : {}),
    ...(args.after ? { cursor: args.after } : {}),
  };
}

/**
 * A use case's page as a connection. `position` must be the use case's own keyset (the key it
 * sorts and resumes by), so every edge's cursor, not only the last, resumes right after its node.
 */
export function toConnection<T>(page: Page<T>, position: (item: T) => CursorPosition): Connection<T> {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(position(node)), node }));
  return {
    edges,
    nodes: page.items,
    pageInfo: {
      hasNextPage: page.nextCursor !== undefined,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.nextCursor ?? edges.at(-1)?.cursor ?? null,
    },
  };
}

const compare = (a: CursorPosition, b: CursorPosition) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Pages a list a use case returns whole (tenants, clusters, tokens: a few per platform), with the
 * same cursors and limits as the paged ones, so clients page every list the same way and keep
 * working when the use case starts paging in SQL.
 */
export function pageInMemory<T>(
  items: readonly T[],
  position: (item: T) => CursorPosition,
  args: PageArgs,
): Connection<T> {
  const size = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(size) || size < 1 || size > MAX_FIRST)
    throw new HeliomeshError({
      code: 'LIMIT_INVALID',
      status: 400,
      message: `first must be a whole number from 1 to ${MAX_FIRST}.`,
      path: ['first'],
    });
  const after = decodeCursor(args.after ?? undefined);
  const sorted = [...items].sort((a, b) => compare(position(a), position(b)));
  const rest = after ? sorted.filter((item) => compare(position(item), after) > 0) : sorted;
  const chosen = rest.slice(0, size);
  const page: Page<T> =
    rest.length > size
      ? { items: chosen, nextCursor: encodeCursor(position(chosen[chosen.length - 1]!)) }
      : { items: chosen };
  return toConnection(page, position);
}
