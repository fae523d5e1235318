import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REGEX_LENGTH, re2Error } from './re2.util.js';

describe('re2Error (Envoy regex syntax, checked with a real RE2)', () => {
  // `\Q` quotes the rest of the pattern when no `\E` follows: a literal "(?<=x)", valid in RE2.
  it.each(['^/api/(v1|v2)/.*$', '(?i)^/Reviews$', '[a-z]{2,1000}', '(?P<id>\\d+)', '/foo/bar', '\\Q(?<=x)'])(
    'accepts %s',
    (pattern) => {
      expect(re2Error(pattern)).toBeUndefined();
    },
  );

  it.each([
    ['(?<=a)b', 'look-behind'],
    ['(a)\\1', 'back-reference'],
    ['a{2,1001}', 'repetition above 1000'],
    ['[a-', 'unterminated class'],
    ['\\u0041', 'JavaScript escape'],
    ['a**', 'bad repetition'],
  ])('rejects %s (%s)', (pattern) => {
    expect(re2Error(pattern)).toEqual(expect.any(String));
  });

  it('rejects patterns longer than Istio allows', () => {
    expect(re2Error('a'.repeat(MAX_REGEX_LENGTH + 1))).toContain(String(MAX_REGEX_LENGTH));
    expect(re2Error('a'.repeat(MAX_REGEX_LENGTH))).toBeUndefined();
  });

  it('never throws and keeps working on arbitrary input (WASM memory is freed)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (pattern) => {
        const result = re2Error(pattern);
        expect(result === undefined || typeof result === 'string').toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(re2Error('^ok$')).toBeUndefined();
  });
});
