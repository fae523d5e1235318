import { describe, expect, it } from 'vitest';
import { TemplateError } from './template-error.util.js';
import type { GoMap } from './go-value.util.js';
import { TemplateSet } from './template-set.util.js';

/**
 * Expected outputs follow Go's text/template (go1.22+) with Helm's `missingkey=zero`: values
 * from YAML are float64, integer literals are int, a missing value prints `<no value>`.
 */
function render(text: string, data: GoMap = {}): string {
  const set = new TemplateSet();
  set.parse('t', text);
  return set.execute('t', data);
}

function renderError(text: string, data: GoMap = {}): TemplateError {
  try {
    render(text, data);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('whitespace trimming', () => {
  it.each([
    ['trim left', 'x \r\n\t{{- 3}}', 'x3'],
    ['trim right', '{{3 -}}\n\n\ty', '3y'],
    ['trim both', 'a\n\t {{- 1 -}} \n\tb', 'a1b'],
    ['no trim keeps spaces', 'a {{1}} b', 'a 1 b'],
    ['a minus without a space is a number', 'a {{-3}} b', 'a -3 b'],
    ['comment trim left', 'x \r\n\t{{- /* hi */}}', 'x'],
    ['comment trim right', '{{/* hi */ -}}\n\n\ty', 'y'],
    ['comment trim both', 'x \r\n\t{{- /* */ -}}\n\n\ty', 'xy'],
    ['trim around an if', 'a\n{{- if true }}\n  b\n{{- end }}\nc', 'a\n  b\nc'],
    ['trim inside range', '{{ range list 1 2 3 -}} {{ . }} {{- end }}', '123'],
  ])('%s', (_name, text, expected) => {
    expect(render(text)).toBe(expected);
  });
});

describe('control structures', () => {
  it.each([
    ['if / else if / else', '{{if .a}}a{{else if .b}}b{{else}}c{{end}}', { b: true }, 'b'],
    ['if on an empty string is false', '{{if .s}}yes{{else}}no{{end}}', { s: '' }, 'no'],
    ['if on 0.0 is false', '{{if .f}}yes{{else}}no{{end}}', { f: 0 }, 'no'],
    ['if on an empty map is false', '{{if .m}}yes{{else}}no{{end}}', { m: {} }, 'no'],
    ['with sets dot', '{{with .a}}[{{.}}]{{else}}none{{end}}', { a: 'v' }, '[v]'],
    ['with else', '{{with .a}}[{{.}}]{{else}}none{{end}}', { a: '' }, 'none'],
    ['else with', '{{with .a}}A{{else with .b}}B{{.}}{{else}}C{{end}}', { b: 'x' }, 'Bx'],
    [
      'range over a list with index',
      '{{range $i, $e := .l}}{{$i}}:{{$e}} {{end}}',
      { l: ['a', 'b'] },
      '0:a 1:b ',
    ],
    ['range else on an empty list', '{{range .l}}x{{else}}empty{{end}}', { l: [] }, 'empty'],
    ['range else on a missing value', '{{range .nope}}x{{else}}empty{{end}}', {}, 'empty'],
    ['range over an int (go1.22)', '{{range 3}}{{.}}{{end}}', {}, '012'],
    ['break', '{{range list 1 2 3 4}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}', {}, '12'],
    ['continue', '{{range list 1 2 3}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}', {}, '13'],
    [
      'assignment reaches the outer variable',
      '{{$x := "a"}}{{range list 1 2}}{{$x = .}}{{end}}{{$x}}',
      {},
      '2',
    ],
    ['$ is the root inside range', '{{range .l}}{{$.name}}{{end}}', { l: [1, 2], name: 'n' }, 'nn'],
  ])('%s', (_name, text, data, expected) => {
    expect(render(text, data as GoMap)).toBe(expected);
  });

  it('ranges over map keys in sorted byte order, like Go', () => {
    const data = { b: 2, a: 1, B: 3, a1: 4, é: 5 };
    expect(render('{{range $k, $v := .}}{{$k}}={{$v}},{{end}}', data)).toBe('B=3,a=1,a1=4,b=2,é=5,');
  });
});

describe('templates and defines', () => {
  it('nests defines through template and include', () => {
    const text =
      '{{define "a"}}A({{template "b" .}}){{end}}{{define "b"}}B[{{.}}]{{end}}{{template "a" "x"}}|{{include "a" 1 | quote}}';
    expect(render(text)).toBe('A(B[x])|"A(B[1])"');
  });

  it('recurses with a counter', () => {
    const text = '{{define "r"}}{{if gt . 0}}{{.}}{{template "r" (sub . 1)}}{{end}}{{end}}{{template "r" 3}}';
    expect(render(text)).toBe('321');
  });

  it('gives a define fresh variables and its own dot', () => {
    const text = '{{define "d"}}{{$}}/{{.}}{{end}}{{$x := 1}}{{template "d" "in"}}';
    expect(render(text)).toBe('in/in');
  });

  it('treats block as define plus template', () => {
    expect(render('{{block "b" .}}[{{.}}]{{end}}', { x: 1 } as GoMap)).toBe('[map[x:1]]');
  });

  it('shares defines across templates of one set; a later file replaces a define', () => {
    const set = new TemplateSet();
    set.parse('_a.tpl', '{{define "name"}}first{{end}}');
    set.parse('_b.tpl', '{{define "name"}}second{{end}}');
    set.parse('main', '{{include "name" .}}');
    expect(set.execute('main', {})).toBe('second');
  });

  it('tpl renders a string as a template with the given values', () => {
    expect(render('{{tpl "{{ .a }}-{{ .b | upper }}" .}}', { a: 1, b: 'x' })).toBe('1-X');
  });
});

describe('values as Helm sees them', () => {
  it.each([
    ['a missing key prints <no value>', '{{.missing}}|', {}, '<no value>|'],
    ['a float64 prints in Go %v form', '{{.a}} {{.b}} {{.c}}', { a: 3000, b: 1e6, c: 0.5 }, '3000 1e+06 0.5'],
    ['int turns a float64 back into an integer', '{{int .b}}', { b: 1e6 }, '1000000'],
    ['a list prints as [a b]', '{{.l}}', { l: ['a', 1] }, '[a 1]'],
    ['a map prints as map[k:v] sorted', '{{.m}}', { m: { b: 1, a: 'x' } }, 'map[a:x b:1]'],
    [
      'a field of a missing value taken through a variable is missing too',
      '{{$x := .missing}}{{$x.foo}}',
      {},
      '<no value>',
    ],
    ['a field of a parenthesized missing value is missing too', '{{(.missing).foo}}', {}, '<no value>'],
  ])('%s', (_name, text, data, expected) => {
    expect(render(text, data as GoMap)).toBe(expected);
  });
});

describe('builtin functions', () => {
  it.each([
    ['and returns the first empty argument', '{{and 1 0 2}}', '0'],
    ['and short-circuits', '{{and 0 (fail "never")}}', '0'],
    ['or returns the first non-empty argument', '{{or 0 "" "x"}}', 'x'],
    ['or short-circuits', '{{or 1 (fail "never")}}', '1'],
    ['not', '{{not 0}} {{not "a"}}', 'true false'],
    ['eq with several candidates', '{{eq "b" "a" "b"}}', 'true'],
    ['comparisons on strings', '{{lt "a" "b"}} {{ge "a" "b"}}', 'true false'],
    ['int and int64 compare', '{{eq 3 (add 1 2)}}', 'true'],
    ['len counts bytes of a string', '{{len "héllo"}}', '6'],
    ['index into list and map', '{{index (list 1 2) 1}} {{index (dict "k" "v") "k"}}', '2 v'],
    ['print spaces only between non-strings', '{{print 1 2 "a" 3 "b" "c"}}', '1 2a3bc'],
    ['printf %d of an int', '{{printf "%d|%05d|%x" 42 42 255}}', '42|00042|ff'],
    ['printf %s, %q, %v', '{{printf "%s %q %v" "a" "a\\"b" (list 1 "x")}}', 'a "a\\"b" [1 x]'],
    [
      'printf missing and extra operands',
      '{{printf "%d %d" 1}}|{{printf "%d" 1 2}}',
      '1 %!d(MISSING)|1%!(EXTRA int=2)',
    ],
    ['printf width and precision', '{{printf "%-4s|%.2f|%6.1f" "ab" 3.14159 2.25}}', 'ab  |3.14|   2.2'],
  ])('%s', (_name, text, expected) => {
    expect(render(text)).toBe(expected);
  });

  it('prints a float64 given to %d the way Go does', () => {
    expect(render('{{printf "%d" .port}}', { port: 3000 })).toBe('%!d(float64=3000)');
  });
});

describe('Sprig and Helm functions', () => {
  it.each([
    [
      'default on empty values',
      '{{default "d" .missing}} {{0 | default 5}} {{"x" | default "y"}} {{default "d" false}}',
      'd 5 x d',
    ],
    [
      'quote skips nil; squote',
      '[{{quote .missing}}] {{quote 1.5 "a"}} {{squote "a"}}',
      '[] "1.5" "a" \'a\'',
    ],
    ['indent and nindent', '{{"a\\nb" | indent 2}}|{{"a" | nindent 2}}', '  a\n  b|\n  a'],
    [
      'trunc counts bytes and cuts from the end when negative',
      '{{trunc 5 "héllo"}} {{trunc -3 "abcdef"}}',
      'héll def',
    ],
    [
      'trim, trimSuffix, trimPrefix',
      '[{{" x \\n" | trim}}] {{trimSuffix "-" "ab-"}} {{trimPrefix "a" "ab"}}',
      '[x] ab b',
    ],
    [
      'upper, lower, replace, contains',
      '{{upper "ab"}} {{lower "AB"}} {{replace "a" "b" "aaa"}} {{contains "b" "abc"}}',
      'AB ab bbb true',
    ],
    [
      'toJson sorts keys and escapes HTML',
      '{{toJson (dict "b" 1 "a" (list 1.5 "<"))}}',
      '{"a":[1.5,"\\u003c"],"b":1}',
    ],
    [
      'b64enc and sha256sum',
      '{{b64enc "héllo"}} {{sha256sum "abc"}}',
      'aMOpbGxv ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    ],
    [
      'empty',
      '{{empty 0}} {{empty (list)}} {{empty (dict)}} {{empty "x"}} {{empty .missing}}',
      'true true true false true',
    ],
    [
      'hasKey, set, unset',
      '{{$d := dict "a" 1}}{{hasKey $d "a"}} {{$_ := set $d "b" 2}}{{$d}} {{unset $d "a"}}',
      'true map[a:1 b:2] map[b:2]',
    ],
    ['dict with an odd count gives the last key an empty value', '{{dict "a" 1 "b"}}', 'map[a:1 b:]'],
    [
      'merge keeps the destination and fills from sources',
      '{{merge (dict "a" 1) (dict "a" 2 "b" 3)}}',
      'map[a:1 b:3]',
    ],
    ['ternary and coalesce', '{{ternary "a" "b" true}} {{coalesce "" 0 "x"}}', 'a x'],
    [
      'int and arithmetic cast like Sprig',
      '{{int "42"}} {{int 3.9}} {{add 1 2.5 "3"}} {{div 7 2}} {{mod 7 2}} {{max 1 5 3}} {{min 4 2}}',
      '42 3 6 3 1 5 2',
    ],
    [
      'join, sortAlpha, keys',
      '{{join "," (list "a" 1 nil)}} {{sortAlpha (list "b" "a" "B")}} {{keys (dict "b" 1 "a" 2)}}',
      'a,1 [B a b] [a b]',
    ],
    ['kindIs and kindOf', '{{kindIs "map" (dict)}} {{kindOf (list)}} {{kindOf 1.5}}', 'true slice float64'],
    ['toYaml of an empty list and map', '{{toYaml (list)}} {{toYaml (dict)}}', '[] {}'],
    [
      'regexMatch is Go (RE2) regexp: no lookbehind',
      '{{regexMatch "^a+$" "aaa"}} {{regexMatch "(?<=a)b" "ab"}}',
      'true false',
    ],
    ['fromYaml reads YAML 1.1', '{{$m := fromYaml "a: yes\\nb: 010"}}{{$m.a}} {{$m.b}}', 'true 8'],
  ])('%s', (_name, text, expected) => {
    expect(render(text)).toBe(expected);
  });

  it('toYaml renders what sigs.k8s.io/yaml would', () => {
    const data = { v: { b: [1, 'yes', { c: null }], a: 'multi\nline', k10: 1, k9: 2, '': 'x' } };
    expect(render('{{toYaml .v}}', data as GoMap)).toBe(
      '"": x\na: |-\n  multi\n  line\nb:\n- 1\n- "yes"\n- c: null\nk9: 2\nk10: 1',
    );
  });
});

describe('errors name the template, line and node', () => {
  it('rejects an unknown function at parse time', () => {
    const e = renderError('line one\n{{ nope 1 }}');
    expect(e.code).toBe('TEMPLATE_PARSE_ERROR');
    expect(e.message).toBe('template: t:2: function "nope" not defined');
  });

  it.each([
    [
      'an undefined variable',
      '{{if true}}{{$y := 1}}{{end}}{{$y}}',
      'template: t:1: undefined variable "$y"',
    ],
    ['an unclosed action', 'a {{ .x ', 'template: t:1: unclosed action'],
    ['an unexpected end', '{{end}}', 'template: t:1: unexpected {{end}}'],
    ['break outside range', '{{break}}', 'template: t:1: {{break}} outside {{range}}'],
    [
      'a comment that does not end the action',
      '{{/* a */ x}}',
      'template: t:1: comment ends before closing delimiter',
    ],
  ])('reports %s', (_name, text, message) => {
    expect(renderError(text).message).toBe(message);
  });

  it.each([
    [
      'nil pointer through a missing map key',
      'a\nb\n{{ .a.b.c }}',
      { a: {} },
      'template: t:3:3: executing "t" at <.a.b.c>: nil pointer evaluating interface {}.c',
    ],
    [
      'int against float64',
      '{{ if eq .n 1 }}x{{ end }}',
      { n: 1 },
      'template: t:1:6: executing "t" at <eq .n 1>: error calling eq: incompatible types for comparison',
    ],
    [
      'a float64 where Sprig wants an int',
      '{{ indent .n "x" }}',
      { n: 2 },
      'template: t:1:10: executing "t" at <.n>: wrong type for value; expected int; got float64',
    ],
    [
      'a missing map where hasKey wants a map',
      '{{ hasKey .nope "a" }}',
      {},
      'template: t:1:10: executing "t" at <.nope>: wrong type for value; expected map[string]interface {}; got interface {}',
    ],
    [
      'a string literal where Sprig wants an int',
      '{{ trunc "3" "abc" }}',
      {},
      'template: t:1:9: executing "t" at <"3">: expected integer; found "3"',
    ],
    [
      'a field of a string',
      '{{ .s.x }}',
      { s: 'str' },
      'template: t:1:3: executing "t" at <.s.x>: can\'t evaluate field x in type string',
    ],
    [
      'a missing template',
      '{{ template "nope" }}',
      {},
      'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
    ],
    [
      'ordering booleans',
      '{{ lt true false }}',
      {},
      'template: t:1:3: executing "t" at <lt true false>: error calling lt: invalid type for comparison',
    ],
    [
      'wrong argument count',
      '{{ quote | indent 2 "a" "b" }}',
      {},
      'template: t:1:11: executing "t" at <indent>: wrong number of args for indent: want 2 got 4',
    ],
  ])('reports %s', (_name, text, data, message) => {
    const e = renderError(text, data as GoMap);
    expect(e.code).toBe('TEMPLATE_EXEC_ERROR');
    expect(e.message).toBe(message);
  });

  it('names the define that failed and the file it came from', () => {
    const e = renderError('{{define "x"}}{{.a.b}}{{end}}{{template "x" (dict)}}');
    expect(e.message).toBe(
      'template: t:1:16: executing "x" at <.a.b>: nil pointer evaluating interface {}.b',
    );
  });

  it("passes required and fail messages through in Helm's words", () => {
    const e = renderError('\n  {{ required "set .Values.x" .x }}');
    expect(e.code).toBe('TEMPLATE_FAIL');
    expect(e.message).toBe('execution error at (t:2:5): set .Values.x');
    expect(renderError('{{ include "f" . }}{{ define "f" }}{{ fail "boom" }}{{ end }}').message).toBe(
      'execution error at (t:1:38): boom',
    );
  });

  it('stops runaway recursion', () => {
    const e = renderError('{{define "r"}}{{include "r" .}}{{end}}{{include "r" .}}');
    expect(e.message).toContain('rendering template has a nested reference name: r');
  });
});
