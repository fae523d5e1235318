import { badRequest } from './errors.util.js';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Keyset position: the sort key and id of the last item of the previous page. */
export interface CursorPosition {
  key: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    )
      return { key: value[0], id: value[1] };
  } catch {
    // fall through to the error below
  }
  throw badRequest('CURSOR_INVALID', 'The cursor is not one this API returned; start again without it.', [
    'query',
    'cursor',
  ]);
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw badRequest('LIMIT_INVALID', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, [
      'query',
      'limit',
    ]);
  return limit;
}

/** Fetch one more row than asked to know whether a next page exists. */
export function toPage<T>(rows: T[], size: number, position: (row: T) => CursorPosition): Page<T> {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, nextCursor: encodeCursor(position(items[items.length - 1]!)) };
}
