import type { ArgNode } from './template-ast.types.js';
import {
  formatValue,
  goTypeName,
  kindOf,
  paramTypeName,
  sortedKeys,
  type GoValue,
  type ParamKind,
} from './go-value.util.js';

/**
 * Rules of text/template's exec.go that need no executor state: how an argument fits a Go
 * parameter type (evalArg, validateType), what range iterates over, and the nil an interface{}
 * slot holds. Errors are NodeError; the executor reports them at the node it is evaluating.
 */

/**
 * The nil held by an interface{} slot (a map entry or list element): unlike the untyped nil a
 * pipeline yields, reading a field of it is an error.
 */
export const NIL_IFACE = Symbol('nil interface');
export type Val = GoValue | typeof NIL_IFACE;

export const dig = (v: Val): GoValue => (v === NIL_IFACE ? null : v);

export class NodeError extends Error {}

/** A literal operand for a parameter: Go converts constants, and refuses what does not fit. */
export function literalArg(
  kind: ParamKind,
  arg: Extract<ArgNode, { type: 'bool' | 'string' | 'number' }>,
): GoValue {
  if (kind === 'any') return arg.value;
  if (arg.type === 'number' && kind === 'int') {
    if (arg.isInt) return arg.value;
    if (Number.isInteger(arg.value)) return BigInt(arg.value);
    throw new NodeError(`expected integer; found ${arg.text}`);
  }
  if (arg.type === 'number' && kind === 'float') return Number(arg.value);
  if (arg.type === 'string' && kind === 'string') return arg.value;
  if (arg.type === 'bool' && kind === 'bool') return arg.value;
  const expected: Partial<Record<ParamKind, string>> = {
    int: 'integer',
    float: 'float',
    string: 'string',
    bool: 'bool',
  };
  const found = argSrc(arg);
  if (expected[kind]) throw new NodeError(`expected ${expected[kind]}; found ${found}`);
  throw new NodeError(`can't handle ${found} for arg of type ${paramTypeName(kind)}`);
}

const GO_TYPE: Record<Exclude<ParamKind, 'any'>, string> = {
  string: 'string',
  int: 'int',
  float: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  list: '[]interface {}',
};

/** Go's validateType: the value must be assignable to the parameter's type. */
export function validateArg(value: Val, kind: ParamKind): GoValue {
  if (kind === 'any') return dig(value);
  if (value === null) {
    if (kind === 'map' || kind === 'list') return null;
    throw new NodeError(`invalid value; expected ${paramTypeName(kind)}`);
  }
  const actual = value === NIL_IFACE ? 'interface {}' : goTypeName(value);
  if (actual !== GO_TYPE[kind])
    throw new NodeError(`wrong type for value; expected ${paramTypeName(kind)}; got ${actual}`);
  return value as GoValue;
}

/** What `range` visits: index (or key) and element; map keys in Go's sorted order. */
export function rangeItems(value: GoValue, declCount: number): [GoValue, Val][] {
  const elem = (v: GoValue | undefined): Val => (v === null || v === undefined ? NIL_IFACE : v);
  switch (kindOf(value)) {
    case 'nil':
      return [];
    case 'list':
      return (value as GoValue[]).map((v, i) => [BigInt(i), elem(v)]);
    case 'map': {
      const m = value as Record<string, GoValue>;
      return sortedKeys(m).map((k) => [k, elem(m[k])]);
    }
    case 'int': {
      if (declCount > 1)
        throw new NodeError(`can't use ${formatValue(value)} to iterate over more than one variable`);
      const n = Number(value as bigint);
      return Array.from({ length: Math.max(0, n) }, (_, i) => [BigInt(i), BigInt(i)]);
    }
    default:
      throw new NodeError(`range can't iterate over ${formatValue(value)}`);
  }
}

/** The operand as Go prints it in `at <...>`. */
export function argSrc(arg: ArgNode): string {
  switch (arg.type) {
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(arg.value);
    case 'string':
      return arg.text;
    case 'number':
      return arg.text;
    case 'identifier':
      return arg.name;
    case 'field':
      return `.${arg.chain.join('.')}`;
    case 'variable':
      return [arg.name, ...arg.chain].join('.');
    case 'pipe':
      return [`(${arg.pipe.src})`, ...arg.chain].join('.');
  }
}
