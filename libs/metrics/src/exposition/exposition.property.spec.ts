import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './exposition.parser.js';
import { printPrometheusText } from './exposition.printer.js';
import type { ExpositionSample, MetricFamily, MetricType } from './exposition.types.js';

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const labelValue = fc.string({ unit: 'binary', maxLength: 20 });
const labels = fc.dictionary(labelName, labelValue, { maxKeys: 5 });
const timestamp = fc.option(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), {
  nil: undefined,
});
// Help text may hold anything but a carriage return at its very end (read as CRLF).
const help = fc.option(
  fc.string({ unit: 'binary', maxLength: 30 }).filter((h) => !h.endsWith('\r')),
  { nil: undefined },
);

function sampleArb(names: readonly string[]): fc.Arbitrary<ExpositionSample> {
  return fc
    .record({ name: fc.constantFrom(...names), labels, value: fc.double(), timestampMs: timestamp })
    .map(({ timestampMs, ...s }) => (timestampMs === undefined ? s : { ...s, timestampMs }));
}

const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

const familyArb = (name: string): fc.Arbitrary<MetricFamily> =>
  fc
    .constantFrom<MetricType>('counter', 'gauge', 'untyped', 'histogram', 'summary')
    .chain((type) =>
      fc.record({
        name: fc.constant(name),
        type: fc.constant(type),
        help,
        samples: fc.array(sampleArb(SUFFIXES[type].map((s) => name + s)), { maxLength: 6 }),
      }),
    )
    .map(({ help: h, ...f }) => (h === undefined ? f : { ...f, help: h }));

// Distinct names without underscores, so no family's name is another's suffixed sample name.
const familiesArb = fc
  .uniqueArray(fc.stringMatching(/^[a-zA-Z:][a-zA-Z0-9:]{0,10}$/), { minLength: 0, maxLength: 5 })
  .chain((names) => fc.tuple(...names.map(familyArb)));

describe('exposition parser properties', () => {
  it('never throws, and every error names a line that exists', () => {
    const chunk = fc.constantFrom(
      '# HELP ',
      '# TYPE ',
      ' histogram',
      'm',
      '{',
      '}',
      '="',
      '"',
      ',',
      '\\',
      ' ',
      '\n',
      '\r',
      '1',
      'NaN',
      '+Inf',
      '# EOF',
      '_bucket',
      'le',
    );
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.oneof(chunk, fc.string({ maxLength: 3 })), { maxLength: 60 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(input, (text) => {
        const parsed = parsePrometheusText(text);
        const lines = text.split('\n').length;
        for (const e of parsed.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
        }
        expect(parsed.errorCount).toBeGreaterThanOrEqual(parsed.errors.length);
        expect(parsed.families.reduce((n, f) => n + f.samples.length, 0)).toBe(parsed.sampleCount);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back exactly what it printed', () => {
    fc.assert(
      fc.property(familiesArb, (families) => {
        const parsed = parsePrometheusText(printPrometheusText(families));
        expect(parsed.errors).toEqual([]);
        expect(parsed.families).toEqual(families);
      }),
      { numRuns: 500 },
    );
  });
});
