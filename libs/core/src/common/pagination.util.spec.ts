import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize, toPage } from './pagination.util.js';

describe('pagination', () => {
  it('round-trips cursors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.uuid(), (key, id) => {
        expect(decodeCursor(encodeCursor({ key, id }))).toEqual({ key, id });
      }),
    );
  });

  it('rejects any cursor it did not issue with a 400, never an exception of another kind', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (junk) => {
        try {
          const decoded = decodeCursor(junk);
          expect(decoded).toMatchObject({ key: expect.any(String), id: expect.any(String) });
        } catch (err) {
          expect(err).toMatchObject({ code: 'CURSOR_INVALID', status: 400 });
        }
      }),
    );
  });

  it('pages with one extra row to know there is more', () => {
    const rows = [1, 2, 3].map((n) => ({ id: String(n) }));
    expect(toPage(rows, 3, (r) => ({ key: r.id, id: r.id }))).toEqual({ items: rows });
    const page = toPage(rows, 2, (r) => ({ key: r.id, id: r.id }));
    expect(page.items).toHaveLength(2);
    expect(decodeCursor(page.nextCursor)).toEqual({ key: '2', id: '2' });
  });

  it('bounds the page size', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(() => pageSize(0)).toThrow(/limit/);
    expect(() => pageSize(501)).toThrow(/limit/);
  });
});
