import { describe, expect, it } from 'vitest';
import { wantsColour } from './io.types.js';
import { palette, stripAnsi, visibleWidth } from './palette.util.js';
import { age, renderTable } from './table.util.js';

describe('renderTable', () => {
  it('pads columns to the widest cell, upper-cases headers and leaves no trailing spaces', () => {
    expect(
      renderTable(
        ['name', 'kind'],
        [
          ['reviews-canary', 'TrafficSplit'],
          ['x', 'Retry'],
        ],
      ),
    ).toBe(
      ['NAME             KIND', 'reviews-canary   TrafficSplit', 'x                Retry', ''].join('\n'),
    );
  });

  it('does not count colour codes as width, and shows <none> for empty cells', () => {
    const p = palette(true);
    const table = renderTable(
      ['phase', 'service'],
      [
        [p.green('Succeeded'), ''],
        ['Paused', 'reviews'],
      ],
    );
    const lines = stripAnsi(table).split('\n');
    expect(lines[1]).toBe('Succeeded   <none>');
    expect(lines[2]).toBe('Paused      reviews');
    expect(table).toContain('\x1b[32mSucceeded\x1b[39m');
  });
});

describe('age', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  it.each([
    ['2026-01-01T23:59:30Z', '30s'],
    ['2026-01-01T23:50:00Z', '10m'],
    ['2026-01-01T20:00:00Z', '4h'],
    ['2025-12-25T00:00:00Z', '8d'],
    ['2026-01-03T00:00:00Z', '0s'],
  ])('%s is %s old', (iso, expected) => expect(age(iso, now)).toBe(expected));
});

describe('colours', () => {
  it('follow NO_COLOR, FORCE_COLOR, TERM=dumb and whether stdout is a terminal', () => {
    expect(wantsColour({}, true)).toBe(true);
    expect(wantsColour({}, false)).toBe(false);
    expect(wantsColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColour({ NO_COLOR: '' }, true)).toBe(true);
    expect(wantsColour({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColour({ FORCE_COLOR: '0' }, false)).toBe(false);
    expect(wantsColour({ TERM: 'dumb' }, true)).toBe(false);
  });

  it('plain palette is the identity; visible width ignores escapes', () => {
    expect(palette(false).red('x')).toBe('x');
    expect(visibleWidth(palette(true).bold('héllo'))).toBe(5);
  });
});
