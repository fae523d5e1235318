import { describe, expect, it } from 'vitest';
import { formatTable, median, percentile } from './bench.util.js';

describe('bench utilities', () => {
  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('aligns table columns', () => {
    expect(
      formatTable([
        { name: 'a', ms: 1.234 },
        { name: 'long', ms: 10 },
      ]).split('\n'),
    ).toEqual(['name  ms  ', '----  ----', 'a     1.23', 'long  10  ']);
  });
});
