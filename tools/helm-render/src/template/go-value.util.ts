/**
 * The Go values a Helm template sees, mapped onto JavaScript:
 *
 * | Go                       | here                           |
 * | ------------------------ | ------------------------------ |
 * | nil                      | `null`                         |
 * | bool, string             | boolean, string                |
 * | int, int64               | bigint                         |
 * | float64                  | number (every number in values: Helm reads values through JSON) |
 * | []interface{}            | array                          |
 * | map[string]interface{}   | plain object                   |
 * | structs (.Chart, .Capabilities) | GoStruct                |
 */

export type GoValue = null | boolean | string | number | bigint | GoValue[] | GoMap | GoStruct;

export interface GoMap {
  [key: string]: GoValue;
}

/** A Go struct: a fixed set of fields (unknown ones are an error, unlike map keys) and methods. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Readonly<Record<string, GoValue>>,
    readonly methods: Readonly<Record<string, TemplateFunction>> = {},
    /** What fmt prints when the type is a fmt.Stringer. */
    readonly stringer?: () => string,
  ) {}
}

/** Go parameter types that text/template checks arguments against. */
export type ParamKind = 'any' | 'string' | 'int' | 'float' | 'bool' | 'map' | 'list';

export interface FunctionContext {
  /** Executes a named template (Helm's `include`). */
  include(name: string, data: GoValue): string;
  /** Parses `text` as a template in the current set and executes it (Helm's `tpl`). */
  tpl(text: string, data: GoValue): string;
}

export interface TemplateFunction {
  readonly params: readonly ParamKind[];
  /** Element type of a trailing `...` parameter. */
  readonly variadic?: ParamKind;
  readonly call: (args: GoValue[], ctx: FunctionContext) => GoValue;
}

export type GoKind = 'nil' | 'bool' | 'string' | 'int' | 'float' | 'list' | 'map' | 'struct';

export function isGoMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoStruct);
}

export function kindOf(v: GoValue | undefined): GoKind {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    default:
      if (Array.isArray(v)) return 'list';
      return v instanceof GoStruct ? 'struct' : 'map';
  }
}

export function goTypeName(v: GoValue): string {
  const kind = kindOf(v);
  switch (kind) {
    case 'nil':
      return '<nil>';
    case 'bool':
    case 'string':
      return kind;
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'list':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'struct':
      return (v as GoStruct).typeName;
  }
}

export function paramTypeName(kind: ParamKind): string {
  const names: Record<ParamKind, string> = {
    any: 'interface {}',
    string: 'string',
    int: 'int',
    float: 'float64',
    bool: 'bool',
    map: 'map[string]interface {}',
    list: '[]interface {}',
  };
  return names[kind];
}

/** text/template's truth: the zero value of its type, or an empty collection, is false. */
export function isTrue(v: GoValue): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'string':
      return (v as string).length > 0;
    case 'int':
      return v !== 0n;
    case 'float':
      return v !== 0;
    case 'list':
      return (v as GoValue[]).length > 0;
    case 'map':
      return Object.keys(v as GoMap).length > 0;
    case 'struct':
      return true;
  }
}

/** Go orders strings by their UTF-8 bytes; JavaScript's `<` compares UTF-16 units. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

export function mapGet(m: GoMap, key: string): GoValue | undefined {
  return Object.hasOwn(m, key) ? m[key] : undefined;
}

/** strconv.FormatFloat(f, 'g', -1, 64), which is also what fmt's %v prints for a float64. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  // With the shortest representation Go switches to an exponent from 1e+06 on, not 1e+21.
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}

/** fmt's %v. Nil prints as `<nil>` here; the executor prints a missing value as `<no value>`. */
export function formatValue(v: GoValue): string {
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
    case 'int':
      return String(v);
    case 'string':
      return v as string;
    case 'float':
      return formatFloat(v as number);
    case 'list':
      return `[${(v as GoValue[]).map(formatValue).join(' ')}]`;
    case 'map': {
      const m = v as GoMap;
      return `map[${sortedKeys(m)
        .map((k) => `${k}:${formatValue(m[k]!)}`)
        .join(' ')}]`;
    }
    case 'struct': {
      const s = v as GoStruct;
      if (s.stringer) return s.stringer();
      return `{${Object.values(s.fields).map(formatValue).join(' ')}}`;
    }
  }
}

/** Sprig's strval: strings as they are, everything else as fmt's %v. */
export function strval(v: GoValue): string {
  return typeof v === 'string' ? v : formatValue(v);
}
