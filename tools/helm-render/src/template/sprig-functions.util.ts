import { createHash } from 'node:crypto';
import { RE2 } from 're2-wasm';
import { FunctionError } from './template-error.util.js';
import { quoteGo } from './go-fmt.util.js';
import { toYaml } from './go-yaml.util.js';
import { parseGoYaml } from './go-yaml-parse.util.js';
import {
  GoStruct,
  compareGoStrings,
  formatValue,
  isGoMap,
  kindOf,
  mapGet,
  sortedKeys,
  strval,
  type FunctionContext,
  type GoMap,
  type GoValue,
  type ParamKind,
  type TemplateFunction,
} from './go-value.util.js';

/**
 * The Sprig functions and Helm additions a chart can use here. Each declares Go's parameter types,
 * because text/template rejects e.g. a float64 (any number from values) where Sprig takes an int.
 */

const fn = (
  params: readonly ParamKind[],
  call: (args: GoValue[], ctx: FunctionContext) => GoValue,
  variadic?: ParamKind,
): TemplateFunction => (variadic === undefined ? { params, call } : { params, call, variadic });

/** Sprig's empty(): nil, false, 0, "" and empty collections are empty; structs never are. */
export function isEmpty(v: GoValue): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return true;
    case 'bool':
      return v === false;
    case 'string':
      return v === '';
    case 'int':
      return v === 0n;
    case 'float':
      return v === 0;
    case 'list':
      return (v as GoValue[]).length === 0;
    case 'map':
      return Object.keys(v as GoMap).length === 0;
    case 'struct':
      return false;
  }
}

/** spf13/cast ToInt64 as Sprig uses it: conversion failures quietly give 0. */
export function toInt64(v: GoValue): bigint {
  switch (kindOf(v)) {
    case 'int':
      return v as bigint;
    case 'float': {
      const f = v as number;
      return Number.isFinite(f) ? BigInt(Math.trunc(f)) : 0n;
    }
    case 'bool':
      return v ? 1n : 0n;
    case 'string': {
      const s = (v as string).replace(/^(-?\d+)\.0*$/, '$1');
      const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.exec(s);
      if (!m) return 0n;
      const digits = /^0[0-7]+$/.test(m[2]!) ? `0o${m[2]!.slice(1)}` : m[2]!;
      const n = BigInt(digits.toLowerCase());
      return m[1] === '-' ? -n : n;
    }
    default:
      return 0n;
  }
}

/** Sprig's strslice: a list's non-nil elements as strings, or the value itself as one string. */
function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(strval);
  return v === null ? [] : [strval(v)];
}

/** Go's encoding/json, which Helm's toJson uses: sorted keys and HTML-safe escaping. */
export function goJson(v: GoValue): string | null {
  switch (kindOf(v)) {
    case 'nil':
      return 'null';
    case 'bool':
    case 'int':
      return String(v);
    case 'float': {
      const f = v as number;
      if (!Number.isFinite(f)) return null;
      return Object.is(f, -0) ? '-0' : String(f);
    }
    case 'string':
      return jsonString(v as string);
    case 'list': {
      const items = (v as GoValue[]).map(goJson);
      return items.includes(null) ? null : `[${items.join(',')}]`;
    }
    case 'map':
    case 'struct': {
      const m = v instanceof GoStruct ? (v.fields as GoMap) : (v as GoMap);
      const parts: string[] = [];
      for (const k of sortedKeys(m)) {
        const item = goJson(m[k]!);
        if (item === null) return null;
        parts.push(`${jsonString(k)}:${item}`);
      }
      return `{${parts.join(',')}}`;
    }
  }
}

function jsonString(s: string): string {
  const escaped = JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped;
}

/** mergo.Merge without overwrite, as Sprig's merge uses it: fills what dst lacks or has empty. */
function mergeInto(dst: GoMap, src: GoMap): void {
  for (const key of Object.keys(src)) {
    const s = src[key]!;
    const d = mapGet(dst, key);
    if (s === null) continue;
    if (isGoMap(s) && isGoMap(d)) {
      mergeInto(d, s);
      continue;
    }
    if (d === undefined || isEmpty(d)) dst[key] = s;
  }
}

function trunc(c: bigint, s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  const n = Number(c);
  if (n < 0 && bytes.length + n > 0) return bytes.subarray(bytes.length + n).toString('utf8');
  if (n >= 0 && bytes.length > n) return bytes.subarray(0, n).toString('utf8');
  return s;
}

function indent(spaces: bigint, text: string): string {
  if (spaces < 0n) throw new FunctionError('strings: negative Repeat count');
  const pad = ' '.repeat(Number(spaces));
  return pad + text.replaceAll('\n', `\n${pad}`);
}

function goKind(v: GoValue): string {
  const names: Record<ReturnType<typeof kindOf>, string> = {
    nil: 'invalid',
    bool: 'bool',
    string: 'string',
    int: 'int',
    float: 'float64',
    list: 'slice',
    map: 'map',
    struct: 'ptr',
  };
  return names[kindOf(v)];
}

function arith(op: (a: bigint, b: bigint) => bigint) {
  return (args: GoValue[]): GoValue => args.map(toInt64).reduce(op);
}

function dict(args: GoValue[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < args.length; i += 2) out[strval(args[i]!)] = i + 1 < args.length ? args[i + 1]! : '';
  return out;
}

/** unicode.IsSpace: JavaScript's \\s adds U+FEFF and lacks U+0085. */
const GO_SPACE_EDGES =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Go's regexp is RE2; re2-wasm gives the same syntax and matching rather than JavaScript's. */
const regexCache = new Map<string, RE2 | null>();
function goRegexp(pattern: string): RE2 | null {
  if (!regexCache.has(pattern)) {
    let compiled: RE2 | null = null;
    try {
      compiled = new RE2(pattern, 'u');
    } catch {
      compiled = null;
    }
    regexCache.set(pattern, compiled);
  }
  return regexCache.get(pattern)!;
}

const STRING_FUNCTIONS: Record<string, TemplateFunction> = {
  // Sprig's regexMatch reports an invalid pattern as no match.
  regexMatch: fn(['string', 'string'], ([re, s]) => goRegexp(re as string)?.test(s as string) ?? false),
  quote: fn(
    [],
    (a) =>
      a
        .filter((v) => v !== null)
        .map((v) => quoteGo(strval(v)))
        .join(' '),
    'any',
  ),
  squote: fn(
    [],
    (a) =>
      a
        .filter((v) => v !== null)
        .map((v) => `'${formatValue(v)}'`)
        .join(' '),
    'any',
  ),
  indent: fn(['int', 'string'], ([n, s]) => indent(n as bigint, s as string)),
  nindent: fn(['int', 'string'], ([n, s]) => `\n${indent(n as bigint, s as string)}`),
  trim: fn(['string'], ([s]) => (s as string).replace(GO_SPACE_EDGES, '')),
  trimSuffix: fn(['string', 'string'], ([suffix, s]) =>
    (s as string).endsWith(suffix as string)
      ? (s as string).slice(0, (s as string).length - (suffix as string).length)
      : s!,
  ),
  trimPrefix: fn(['string', 'string'], ([prefix, s]) =>
    (s as string).startsWith(prefix as string) ? (s as string).slice((prefix as string).length) : s!,
  ),
  trunc: fn(['int', 'string'], ([c, s]) => trunc(c as bigint, s as string)),
  upper: fn(['string'], ([s]) => (s as string).toUpperCase()),
  lower: fn(['string'], ([s]) => (s as string).toLowerCase()),
  replace: fn(['string', 'string', 'string'], ([o, n, s]) =>
    (s as string).replaceAll(o as string, n as string),
  ),
  contains: fn(['string', 'string'], ([sub, s]) => (s as string).includes(sub as string)),
  hasPrefix: fn(['string', 'string'], ([p, s]) => (s as string).startsWith(p as string)),
  hasSuffix: fn(['string', 'string'], ([p, s]) => (s as string).endsWith(p as string)),
  b64enc: fn(['string'], ([s]) => Buffer.from(s as string, 'utf8').toString('base64')),
  sha256sum: fn(['string'], ([s]) =>
    createHash('sha256')
      .update(s as string, 'utf8')
      .digest('hex'),
  ),
  toString: fn(['any'], ([v]) => strval(v!)),
  join: fn(['string', 'any'], ([sep, v]) => strslice(v!).join(sep as string)),
  sortAlpha: fn(['any'], ([v]) => (Array.isArray(v) ? strslice(v).sort(compareGoStrings) : [strval(v!)])),
};

const DATA_FUNCTIONS: Record<string, TemplateFunction> = {
  default: fn(['any'], ([d, ...given]) => (given.length === 0 || isEmpty(given[0]!) ? d! : given[0]!), 'any'),
  empty: fn(['any'], ([v]) => isEmpty(v!)),
  coalesce: fn([], (a) => a.find((v) => !isEmpty(v)) ?? null, 'any'),
  ternary: fn(['any', 'any', 'bool'], ([t, f, cond]) => (cond ? t! : f!)),
  toYaml: fn(['any'], ([v]) => toYaml(v!)),
  toJson: fn(['any'], ([v]) => goJson(v!) ?? ''),
  dict: fn([], dict, 'any'),
  list: fn([], (a) => a, 'any'),
  set: fn(['map', 'string', 'any'], ([m, k, v]) => {
    // Sprig's set writes into the map it is given, which templates rely on.
    if (m === null) throw new FunctionError('assignment to entry in nil map');
    (m as GoMap)[k as string] = v!;
    return m;
  }),
  unset: fn(['map', 'string'], ([m, k]) => {
    if (m !== null) delete (m as GoMap)[k as string];
    return m!;
  }),
  hasKey: fn(['map', 'string'], ([m, k]) => m !== null && mapGet(m as GoMap, k as string) !== undefined),
  get: fn(['map', 'string'], ([m, k]) => (m === null ? '' : (mapGet(m as GoMap, k as string) ?? ''))),
  keys: fn(
    [],
    (maps) => maps.flatMap((m) => (m === null ? [] : Object.keys(m as GoMap))).sort(compareGoStrings),
    'map',
  ),
  merge: fn(
    ['map'],
    ([dst, ...srcs]) => {
      const target = (dst ?? {}) as GoMap;
      for (const src of srcs) if (src !== null) mergeInto(target, src as GoMap);
      return target;
    },
    'map',
  ),
  kindIs: fn(['string', 'any'], ([k, v]) => goKind(v!) === k),
  kindOf: fn(['any'], ([v]) => goKind(v!)),
};

const NUMBER_FUNCTIONS: Record<string, TemplateFunction> = {
  int: fn(['any'], ([v]) => toInt64(v!)),
  int64: fn(['any'], ([v]) => toInt64(v!)),
  add: fn([], (a) => a.map(toInt64).reduce((x, y) => x + y, 0n), 'any'),
  add1: fn(['any'], ([v]) => toInt64(v!) + 1n),
  sub: fn(
    ['any', 'any'],
    arith((a, b) => a - b),
  ),
  mul: fn(
    ['any'],
    arith((a, b) => a * b),
    'any',
  ),
  div: fn(['any', 'any'], ([a, b]) => {
    const d = toInt64(b!);
    if (d === 0n) throw new FunctionError('runtime error: integer divide by zero');
    return toInt64(a!) / d;
  }),
  mod: fn(['any', 'any'], ([a, b]) => {
    const d = toInt64(b!);
    if (d === 0n) throw new FunctionError('runtime error: integer divide by zero');
    return toInt64(a!) % d;
  }),
  max: fn(
    ['any'],
    arith((a, b) => (a > b ? a : b)),
    'any',
  ),
  min: fn(
    ['any'],
    arith((a, b) => (a < b ? a : b)),
    'any',
  ),
};

/** Helm's fromYaml: a map, or a map holding the parse error under "Error" as Helm returns it. */
function fromYaml(text: string): GoValue {
  try {
    const parsed = parseGoYaml(text, 'fromYaml');
    if (parsed === null) return {};
    if (!isGoMap(parsed))
      return {
        Error:
          'error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {}',
      };
    return JSON.parse(JSON.stringify(parsed)) as GoMap;
  } catch (e) {
    return { Error: e instanceof Error ? e.message : String(e) };
  }
}

const HELM_FUNCTIONS: Record<string, TemplateFunction> = {
  required: fn(['string', 'any'], ([warn, v]) => {
    if (v === null || v === '') throw new FunctionError(warn as string, true);
    return v!;
  }),
  fail: fn(['string'], ([msg]) => {
    throw new FunctionError(msg as string, true);
  }),
  fromYaml: fn(['string'], ([text]) => fromYaml(text as string)),
  include: fn(['string', 'any'], ([name, data], ctx) => ctx.include(name as string, data!)),
  tpl: fn(['string', 'map'], ([text, data], ctx) => ctx.tpl(text as string, data!)),
};

export const SPRIG_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...STRING_FUNCTIONS,
  ...DATA_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...HELM_FUNCTIONS,
};
