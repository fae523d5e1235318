import { formatFloat, GoStruct, kindOf, type GoMap, type GoValue } from './go-value.util.js';
import {
  analyzeScalar,
  isBreakChar,
  isPrintable,
  resolvesAsNonString,
  type ScalarAnalysis,
} from './go-yaml-scalar.util.js';

/**
 * Helm's `toYaml`: sigs.k8s.io/yaml.Marshal, which is encoding/json followed by go-yaml v2's
 * emitter. Reproduced here: go-yaml's key order (digits compared as numbers), its choice among
 * plain, single-quoted, double-quoted and literal scalars, indentless sequences under a key,
 * and folding of long scalars at column 80.
 */

const BEST_WIDTH = 80;
const INDENT = 2;

/** Returns null where Go's json.Marshal fails (NaN or infinite floats); Helm then prints "". */
export function marshalGoYaml(value: GoValue): string | null {
  const json = toJsonModel(value);
  if (json === INVALID) return null;
  const w = new Writer();
  w.document(json);
  return w.text();
}

const INVALID = Symbol('invalid');
type Json = null | boolean | string | { num: string } | Json[] | { map: [string, Json][] };

/** The JSON round trip: numbers become yaml.v2 ints or floats, structs become maps. */
function toJsonModel(v: GoValue): Json | typeof INVALID {
  switch (kindOf(v)) {
    case 'nil':
      return null;
    case 'bool':
    case 'string':
      return v as boolean | string;
    case 'int':
      return { num: yamlNumber(v as bigint) };
    case 'float': {
      const f = v as number;
      return Number.isFinite(f) ? { num: yamlNumber(f) } : INVALID;
    }
    case 'list': {
      const items = (v as GoValue[]).map(toJsonModel);
      return items.includes(INVALID) ? INVALID : (items as Json[]);
    }
    case 'map':
    case 'struct': {
      const m: GoMap = v instanceof GoStruct ? (v.fields as GoMap) : (v as GoMap);
      const entries: [string, Json][] = [];
      for (const key of Object.keys(m)) {
        const item = toJsonModel(m[key]!);
        if (item === INVALID) return INVALID;
        entries.push([key, item]);
      }
      return {
        map: entries.sort((a, b) => (goYamlKeyLess(a[0], b[0]) ? -1 : goYamlKeyLess(b[0], a[0]) ? 1 : 0)),
      };
    }
  }
}

/** What yaml.v2 prints for the number encoding/json wrote: an int when it fits 64 bits. */
function yamlNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    const asInt = BigInt(n);
    if (asInt >= -(2n ** 63n) && asInt < 2n ** 64n) return String(asInt);
  }
  return formatFloat(n);
}

const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);
const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c);

/** go-yaml v2's keyList.Less for string keys: runs of digits compare as numbers. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(Number(ar[ai]));
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

type Context = 'value' | 'key';

/**
 * Writes block YAML the way go-yaml v2 lays it out. Every method starts at the cursor, which the
 * caller has placed (after `key: `, after `- `, or at an indented new line); `col` is the
 * column of the node's own block and continuation lines of a scalar go two columns deeper.
 */
class Writer {
  private out = '';
  private column = 0;

  text(): string {
    return this.out;
  }

  private write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }

  private newline(col: number): void {
    this.write(`\n${' '.repeat(col)}`);
  }

  document(v: Json): void {
    if (isBlock(v)) this.block(v, 0);
    else this.scalar(v, INDENT, 'value');
    this.write('\n');
  }

  private block(v: Json[] | { map: [string, Json][] }, col: number): void {
    if (Array.isArray(v)) return this.sequence(v, col);
    v.map.forEach(([key, value], i) => {
      if (i > 0) this.newline(col);
      this.scalar(key, col + INDENT, 'key');
      this.write(':');
      if (!isBlock(value)) {
        this.write(' ');
        return this.scalar(value, col + INDENT, 'value');
      }
      // A sequence under a key is not indented: `key:\n- a`.
      const childCol = Array.isArray(value) ? col : col + INDENT;
      this.newline(childCol);
      this.block(value, childCol);
    });
  }

  private sequence(items: Json[], col: number): void {
    items.forEach((item, i) => {
      if (i > 0) this.newline(col);
      this.write('- ');
      if (isBlock(item)) this.block(item, col + INDENT);
      else this.scalar(item, col + INDENT, 'value');
    });
  }

  private scalar(v: Json, indent: number, context: Context): void {
    if (v === null) return this.write('null');
    if (typeof v === 'boolean') return this.write(String(v));
    if (Array.isArray(v)) return this.write('[]');
    if (typeof v === 'string') return this.string(v, indent, context === 'key');
    this.write('num' in v ? v.num : '{}');
  }

  private string(s: string, indent: number, simpleKey: boolean): void {
    const a = analyzeScalar(s);
    const canUsePlain = !resolvesAsNonString(s);
    let style: 'plain' | 'single' | 'double' | 'literal' = !canUsePlain
      ? 'double'
      : s.includes('\n')
        ? 'literal'
        : 'plain';
    if (style === 'plain' && (!a.blockPlainAllowed || a.multiline || (s === '' && simpleKey)))
      style = 'single';
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    // go-yaml copies a bare \r, U+0085, U+2028 or U+2029 into plain, single-quoted and literal
    // scalars, where a reader may take it for a line break; escaping it keeps the text intact.
    if (/[\r\u0085\u2028\u2029]/.test(s)) style = 'double';
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain':
        return this.folded(s, indent, allowBreaks, (c) => c, false);
      case 'single':
        this.write("'");
        this.folded(s, indent, allowBreaks, (c) => (c === "'" ? "''" : c), true);
        return this.write("'");
      case 'double':
        return this.doubleQuoted(s, indent, allowBreaks);
      case 'literal':
        return this.literal(s, indent, a);
    }
  }

  /** Plain and single-quoted scalars: a space past column 80 becomes a line break. */
  private folded(
    s: string,
    indent: number,
    allowBreaks: boolean,
    map: (c: string) => string,
    quoted: boolean,
  ): void {
    const chars = [...s];
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        const inside = !quoted || (i > 0 && i < chars.length - 1);
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inside && chars[i + 1] !== ' ')
          this.newline(indent);
        else this.write(c);
        spaces = true;
      } else {
        this.write(map(c));
        spaces = false;
      }
    });
  }

  private doubleQuoted(s: string, indent: number, allowBreaks: boolean): void {
    this.write('"');
    const chars = [...s];
    let spaces = false;
    chars.forEach((c, i) => {
      const cp = c.codePointAt(0)!;
      if (!isPrintable(cp) || cp === 0xfeff || isBreakChar(c) || c === '"' || c === '\\') {
        this.write(escapeDoubleQuoted(cp));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.newline(indent);
          if (chars[i + 1] === ' ') this.write('\\');
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    });
    this.write('"');
  }

  private literal(s: string, indent: number, a: ScalarAnalysis): void {
    let header = '|';
    if (a.startsWithSpaceOrBreak) header += String(INDENT);
    const chars = [...s];
    const last = chars[chars.length - 1];
    if (last === undefined || !isBreakChar(last)) header += '-';
    else if (chars.length === 1 || isBreakChar(chars[chars.length - 2]!)) header += '+';
    this.write(header);
    const lines = s.split('\n');
    if (last === '\n') lines.pop();
    for (const line of lines) {
      this.write('\n');
      if (line !== '') this.write(' '.repeat(indent) + line);
    }
  }
}

/** A non-empty sequence or mapping; empty ones are written in flow style, `[]` and `{}`. */
function isBlock(v: Json): v is Json[] | { map: [string, Json][] } {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && typeof v === 'object' && 'map' in v && v.map.length > 0;
}

function escapeDoubleQuoted(cp: number): string {
  const named: Record<number, string> = {
    0: '\\0',
    7: '\\a',
    8: '\\b',
    9: '\\t',
    10: '\\n',
    11: '\\v',
    12: '\\f',
    13: '\\r',
    27: '\\e',
    34: '\\"',
    92: '\\\\',
    0x85: '\\N',
    0xa0: '\\_',
    0x2028: '\\L',
    0x2029: '\\P',
  };
  if (named[cp]) return named[cp];
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** Helm's `toYaml`: the YAML without its final newline, or "" when Go could not marshal it. */
export function toYaml(value: GoValue): string {
  const text = marshalGoYaml(value);
  return text === null ? '' : text.replace(/\n$/, '');
}
