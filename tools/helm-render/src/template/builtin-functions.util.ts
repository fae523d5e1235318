import { FunctionError } from './template-error.util.js';
import { sprint, sprintf, sprintln } from './go-fmt.util.js';
import {
  formatValue,
  goTypeName,
  isTrue,
  kindOf,
  mapGet,
  type GoValue,
  type TemplateFunction,
} from './go-value.util.js';

/** text/template's predefined functions (text/template/funcs.go), minus html/js/urlquery/call/slice. */

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(v: GoValue): BasicKind {
  const kind = kindOf(v);
  return kind === 'bool' || kind === 'int' || kind === 'float' || kind === 'string' ? kind : 'invalid';
}

const errBadComparisonType = () => new FunctionError('invalid type for comparison');
const errBadComparison = () => new FunctionError('incompatible types for comparison');

function eq(a: GoValue, bs: GoValue[]): boolean {
  if (bs.length === 0) throw new FunctionError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of bs) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (a !== null && b !== null) throw errBadComparison();
      continue;
    }
    if (k1 !== 'invalid') {
      if (a === b) return true;
      continue;
    }
    if (a === null || b === null) {
      if (a === b) return true;
      continue;
    }
    throw new FunctionError(`non-comparable type ${formatValue(a)}: ${goTypeName(a)}`);
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw errBadComparisonType();
  if (k1 !== k2) throw errBadComparison();
  if (k1 === 'bool') throw errBadComparisonType();
  if (k1 === 'string') return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
  return (a as number | bigint) < (b as number | bigint);
}

function length(v: GoValue): bigint {
  switch (kindOf(v)) {
    case 'string':
      return BigInt(Buffer.byteLength(v as string, 'utf8'));
    case 'list':
      return BigInt((v as GoValue[]).length);
    case 'map':
      return BigInt(Object.keys(v as object).length);
    case 'nil':
      throw new FunctionError('len of nil pointer');
    default:
      throw new FunctionError(`len of type ${goTypeName(v)}`);
  }
}

function index(item: GoValue, indexes: GoValue[]): GoValue {
  let current = item;
  for (const key of indexes) {
    switch (kindOf(current)) {
      case 'nil':
        throw new FunctionError('index of untyped nil');
      case 'map':
        if (typeof key !== 'string') {
          throw new FunctionError(`value has type ${goTypeName(key)}; should be string`);
        }
        current = mapGet(current as Record<string, GoValue>, key) ?? null;
        break;
      case 'list':
      case 'string': {
        if (typeof key !== 'bigint')
          throw new FunctionError(`cannot index slice/array with type ${goTypeName(key)}`);
        const seq =
          typeof current === 'string' ? [...Buffer.from(current)].map(BigInt) : (current as GoValue[]);
        if (key < 0n || key >= BigInt(seq.length)) throw new FunctionError(`index out of range: ${key}`);
        current = seq[Number(key)]!;
        break;
      }
      default:
        throw new FunctionError(`can't index item of type ${goTypeName(current)}`);
    }
  }
  return current;
}

const fn = (
  params: TemplateFunction['params'],
  call: (args: GoValue[]) => GoValue,
  variadic?: TemplateFunction['variadic'],
): TemplateFunction => (variadic === undefined ? { params, call } : { params, call, variadic });

export const BUILTIN_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  // and/or are evaluated lazily by the executor; these bodies serve a call through `call`-less paths.
  and: fn(['any'], (a) => a.find((v) => !isTrue(v)) ?? a[a.length - 1]!, 'any'),
  or: fn(['any'], (a) => a.find((v) => isTrue(v)) ?? a[a.length - 1]!, 'any'),
  not: fn(['any'], ([v]) => !isTrue(v!)),
  len: fn(['any'], ([v]) => length(v!)),
  index: fn(['any'], ([item, ...keys]) => index(item!, keys), 'any'),
  print: fn([], (a) => sprint(a), 'any'),
  printf: fn(['string'], ([format, ...a]) => sprintf(format as string, a), 'any'),
  println: fn([], (a) => sprintln(a), 'any'),
  eq: fn(['any'], ([a, ...bs]) => eq(a!, bs), 'any'),
  ne: fn(['any', 'any'], ([a, b]) => !eq(a!, [b!])),
  lt: fn(['any', 'any'], ([a, b]) => lt(a!, b!)),
  le: fn(['any', 'any'], ([a, b]) => lt(a!, b!) || eq(a!, [b!])),
  gt: fn(['any', 'any'], ([a, b]) => !(lt(a!, b!) || eq(a!, [b!]))),
  ge: fn(['any', 'any'], ([a, b]) => !lt(a!, b!)),
};
