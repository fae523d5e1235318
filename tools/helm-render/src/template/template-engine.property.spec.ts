import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteGo, sprintf } from './go-fmt.util.js';
import { parseGoNumber, unquoteGo } from './go-literal.util.js';
import { TemplateError } from './template-error.util.js';
import { compareGoStrings, type GoMap, type GoValue } from './go-value.util.js';
import { parseGoYaml } from './go-yaml-parse.util.js';
import { goYamlKeyLess, marshalGoYaml } from './go-yaml.util.js';
import { goJson } from './sprig-functions.util.js';
import { TemplateSet } from './template-set.util.js';

function render(text: string, data: GoValue = {}): string {
  const set = new TemplateSet();
  set.parse('t', text);
  return set.execute('t', data);
}

const whitespace = fc.stringMatching(/^[ \t\r\n]{0,6}$/);
const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);

/** Strings whose YAML form needs care: YAML 1.1 scalars, indicators, breaks, long lines. */
const trickyString = fc.oneof(
  fc.constantFrom(
    ...[
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'n',
      '~',
      'null',
      'true',
      '',
      ' ',
      '1',
      '-1',
      '+1',
      '1.5',
      '.5',
      '0x1F',
      '010',
      '08',
    ],
    ...[
      '1e3',
      '1_000',
      '0b101',
      '2001-12-14',
      '2001-12-14 21:59:43.10',
      '1:20',
      '.inf',
      '-',
      '- a',
      'a: b',
      'a:',
      '#x',
    ],
    ...[
      'a #b',
      ' lead',
      'trail ',
      'multi\nline',
      'a\n',
      '\n',
      ' \n x',
      'a \nb',
      'a\n\n',
      'a\r\nb',
      'tab\there',
    ],
    ...[
      '@x',
      '`x',
      '{x}',
      '[x]',
      "it's",
      '"q"',
      '---',
      '...',
      '? x',
      '%x',
      '!x',
      '&a',
      '*a',
      '|',
      '>',
      'é€𝄞',
      '\u2028',
      '\ufeff',
    ],
  ),
  fc
    .array(fc.oneof(fc.stringMatching(/^[a-z]{1,12}$/), fc.constantFrom(' ', '  ', ': ', ' #', "'", '\n')), {
      maxLength: 40,
    })
    .map((parts) => parts.join(' ')),
);

/** JSON-shaped template values: what values.yaml can hold once Helm has read it. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
    fc.string({ unit: 'grapheme' }),
    fc.string(),
    trickyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .dictionary(
        fc.oneof(fc.string(), trickyString).filter((k) => k !== '<<' && k !== '__proto__'),
        tie('value'),
        { maxKeys: 4 },
      )
      .map((d) => ({ ...d }) as GoMap),
  ),
})).value as fc.Arbitrary<GoValue>;

/** Template-like text: text and actions whose words are keywords, functions, fields and literals. */
const actionWord = fc.oneof(
  fc.constantFrom(
    'if',
    'else',
    'end',
    'range',
    'with',
    'define "d"',
    'template "d"',
    'block "d" .',
    'break',
    'continue',
  ),
  fc.constantFrom(
    'quote',
    'default 1',
    'include "d" .',
    'printf "%v"',
    'eq 1',
    'and',
    'or',
    'not',
    'len',
    'index',
    'toYaml',
  ),
  fc.constantFrom(
    'nindent 2',
    'required "x"',
    'list',
    'dict "k"',
    'tpl',
    'int',
    'add 1',
    'fail "f"',
    'hasKey',
    'empty',
    'trunc 3',
  ),
  fc.constantFrom(
    '.',
    '.a',
    '.a.b',
    '.x',
    '.x.y',
    '$',
    '$.a',
    '$v',
    '$i',
    'nil',
    'true',
    '1',
    '-2',
    '1.5',
    '"s"',
    '`r`',
    "'c'",
  ),
  fc.constantFrom('|', '(', ')', '$v :=', '$i, $v :=', '$v =', ','),
);
const action = fc
  .tuple(fc.boolean(), fc.array(actionWord, { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([left, words, right]) => `{{${left ? '- ' : ''}${words.join(' ')}${right ? ' -' : ''}}}`);
const templateSoup = fc
  .array(fc.oneof(action, action, fc.constantFrom('x', ' ', '\n', '{{/* c */}}', '}}', '{{')), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

describe('template engine properties', () => {
  it('either renders any text or rejects it with a TemplateError, never anything else', () => {
    fc.assert(
      fc.property(
        templateSoup,
        fc.constantFrom<GoValue>({}, { a: { b: [1, 'x'] }, x: null }, null),
        (text, data) => {
          try {
            render(text, data);
          } catch (e) {
            expect(e).toBeInstanceOf(TemplateError);
            expect((e as TemplateError).message).toMatch(
              /^(template: t:\d+|execution error at \(t:\d+:\d+\))/,
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads integer literals as Go ints and the rest as float64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        expect(parseGoNumber(String(n))).toEqual({ value: n, isInt: true });
        expect(parseGoNumber(`0x${n < 0n ? '' : n.toString(16)}`)?.isInt ?? true).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const text = Math.abs(d).toExponential();
        expect(parseGoNumber(text)).toEqual({ value: Number(text), isInt: false });
      }),
    );
  });

  it('copies text without actions unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('{{')),
        (text) => render(text) === text,
      ),
    );
  });

  it('trim markers remove all whitespace on their side and nothing else', () => {
    fc.assert(
      fc.property(word, whitespace, word, whitespace, word, (left, ws1, w, ws2, right) => {
        expect(render(`${left}${ws1}{{- "${w}" -}}${ws2}${right}`)).toBe(`${left}${w}${right}`);
        expect(render(`${left}${ws1}{{ "${w}" }}${ws2}${right}`)).toBe(`${left}${ws1}${w}${ws2}${right}`);
        expect(render(`${left}${ws1}{{- "${w}" }}${ws2}${right}`)).toBe(`${left}${w}${ws2}${right}`);
      }),
    );
  });

  it('ranges over a map in Go key order (UTF-8 bytes), once per key', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => k !== '__proto__'),
          fc.integer(),
        ),
        (raw) => {
          const data: GoMap = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v]));
          const out = render('{{range $k, $v := .}}{{$k}}\u0000{{end}}', data);
          const keys = Object.keys(data).sort(compareGoStrings);
          expect(out).toBe(keys.map((k) => `${k}\u0000`).join(''));
        },
      ),
    );
  });

  it('nested defines compose like function calls', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.string(), (names, payload) => {
        // d0 wraps d1 wraps ... wraps the payload; each level adds its own name around it.
        const defs = names
          .map(
            (n, i) =>
              `{{define "d${i}"}}${n}(${i + 1 < names.length ? `{{include "d${i + 1}" .}}` : '{{.}}'}){{end}}`,
          )
          .join('');
        const expected = names.reduceRight((inner, n) => `${n}(${inner})`, payload);
        expect(render(`${defs}{{template "d0" .p}}`, { p: payload })).toBe(expected);
      }),
    );
  });

  it('quote produces a Go literal that reads back as the same string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s),
        (s) => {
          expect(unquoteGo(quoteGo(s))).toBe(s);
          expect(sprintf('%q', [s])).toBe(quoteGo(s));
        },
      ),
    );
  });

  it('toJson is JSON that parses back to the value', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(JSON.parse(goJson(v)!)).toEqual(v);
      }),
    );
  });

  it('marshals YAML that Helm and kubectl read back as the same value', () => {
    // toYaml itself drops the final newline (Helm does), which a top-level `|+` block needs.
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(parseGoYaml(marshalGoYaml(v)!, 'toYaml')).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('folds long lines past column 80 without changing the text', () => {
    const piece = fc.oneof(
      fc.stringMatching(/^[a-z]{1,10}$/),
      fc.constantFrom(' ', '   ', ': ', ' #', "'", '"', '\\', '\t'),
    );
    const long = fc.array(piece, { minLength: 30, maxLength: 80 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(long, fc.integer({ min: 0, max: 3 }), (text, depth) => {
        let value: GoValue = text;
        for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { key: value };
        expect(parseGoYaml(marshalGoYaml(value)!, 'toYaml')).toEqual(value);
      }),
    );
  });

  it('toYaml survives nindent into a mapping, the way charts use it', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => k !== '<<' && k !== '__proto__'),
          jsonValue,
          { minKeys: 1, maxKeys: 4 },
        ),
        (inner) => {
          const out = render('outer:\n  nested:\n    {{- toYaml .v | nindent 4 }}\n', { v: { ...inner } });
          expect(parseGoYaml(out, 'out')).toEqual({ outer: { nested: inner } });
        },
      ),
    );
  });

  it('orders keys as go-yaml does: a strict order with digit runs compared as numbers', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        if (a === b) expect(goYamlKeyLess(a, b)).toBe(false);
        else expect(goYamlKeyLess(a, b) && goYamlKeyLess(b, a)).toBe(false);
      }),
    );
    expect(['k10', 'k9', 'k1'].sort((a, b) => (goYamlKeyLess(a, b) ? -1 : 1))).toEqual(['k1', 'k9', 'k10']);
  });
});
