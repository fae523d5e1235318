import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.util.js';

describe('MinHeap', () => {
  it('pops keys in ascending order with their values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e6 })),
          { maxLength: 200 },
        ),
        (entries) => {
          const heap = new MinHeap(2);
          for (const [k, v] of entries) heap.push(k, v);
          const out: Array<[number, number]> = [];
          while (heap.size > 0) {
            const key = heap.peekKey();
            out.push([key, heap.pop()]);
          }
          const keys = out.map(([k]) => k);
          expect(keys).toEqual([...entries.map(([k]) => k)].sort((a, b) => a - b));
          // Every (key, value) pair survives the reordering.
          const pairs = (list: Array<[number, number]>) => list.map(([k, v]) => `${k}:${v}`).sort();
          expect(pairs(out)).toEqual(pairs(entries));
        },
      ),
    );
  });

  it('reports +Infinity when empty', () => {
    expect(new MinHeap().peekKey()).toBe(Number.POSITIVE_INFINITY);
  });
});
