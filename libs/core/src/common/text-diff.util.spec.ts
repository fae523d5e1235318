import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './text-diff.util.js';

/** Applies a unified diff's -/+ lines to `before` (context elided with @@ is taken from `before`). */
function replay(before: string, diff: string): string[] {
  const out: string[] = [];
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  let i = 0;
  for (const line of diff.split('\n').slice(2, -1)) {
    if (line === '@@') continue;
    const body = line.slice(1);
    if (line[0] === '+') out.push(body);
    else {
      while (a[i] !== body) out.push(a[i++]!);
      if (line[0] === ' ') out.push(body);
      i++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  return out;
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { from: 'x', to: 'y' })).toBe('');
  });

  it('marks removed and added lines with context', () => {
    const diff = unifiedDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\n', { from: 'old', to: 'new' }, 1);
    expect(diff).toBe('--- old\n+++ new\n a\n-b\n+B\n c\n@@\n');
  });

  it('turns the old text into the new one when replayed', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'weight: 90', 'weight: 10'), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (x, y) => {
        const before = x.length ? `${x.join('\n')}\n` : '';
        const after = y.length ? `${y.join('\n')}\n` : '';
        const diff = unifiedDiff(before, after, { from: 'a', to: 'b' }, 100);
        if (before === after) expect(diff).toBe('');
        else expect(replay(before, diff)).toEqual(y);
      }),
    );
  });
});
