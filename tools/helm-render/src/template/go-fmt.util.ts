import {
  formatFloat,
  formatValue,
  goTypeName,
  isGoMap,
  kindOf,
  sortedKeys,
  type GoValue,
} from './go-value.util.js';

/**
 * The parts of Go's fmt and strconv that templates reach through print, printf and quote,
 * including Go's in-band errors (`%!d(float64=3)`): a chart that prints a float64 with %d
 * renders that text under Helm, and so it does here.
 */

const isPrintableRune = (c: string): boolean => c === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c);

/** strconv.Quote. */
export function quoteGo(s: string): string {
  let out = '"';
  for (const c of s) {
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (isPrintableRune(c)) out += c;
    else out += escapeRune(c.codePointAt(0)!);
  }
  return `${out}"`;
}

function escapeRune(cp: number): string {
  const named: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    12: '\\f',
    10: '\\n',
    13: '\\r',
    9: '\\t',
    11: '\\v',
  };
  if (named[cp]) return named[cp];
  const hex = cp.toString(16);
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex.padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

/** fmt.Sprintln. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  width: number | null;
  precision: number | null;
}

/** fmt.Sprintf for the verbs templates use: v s q d t f F e g x X and %%. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argIndex = 0;
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d*))?(.)?/gy;
  let i = 0;
  while (i < format.length) {
    const next = format.indexOf('%', i);
    if (next < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, next);
    re.lastIndex = next;
    const m = re.exec(format)!;
    i = re.lastIndex;
    const verb = m[4];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      continue;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const flags = m[1] ?? '';
    const spec: Spec = {
      minus: flags.includes('-'),
      plus: flags.includes('+'),
      zero: flags.includes('0'),
      space: flags.includes(' '),
      width: m[2] === undefined ? null : Number(m[2]),
      precision: m[3] === undefined ? null : Number(m[3] || '0'),
    };
    out += pad(formatVerb(verb, args[argIndex++]!, spec), spec, verb);
  }
  if (argIndex < args.length) {
    const extra = args
      .slice(argIndex)
      .map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

function pad(text: string, spec: Spec, verb: string): string {
  if (spec.width === null || [...text].length >= spec.width) return text;
  const fill = spec.width - [...text].length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && 'dfFegxX'.includes(verb) && /^[-+]?[0-9a-fA-F.]/.test(text)) {
    const sign = /^[-+]/.test(text) ? text[0] : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function badVerb(verb: string, arg: GoValue): string {
  return arg === null ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(arg)}=${formatValue(arg)})`;
}

function formatVerb(verb: string, arg: GoValue, spec: Spec): string {
  // fmt applies a verb to the elements of a slice or map, not to the container.
  if (verb !== 'v' && Array.isArray(arg)) return `[${arg.map((a) => formatVerb(verb, a, spec)).join(' ')}]`;
  if (verb !== 'v' && isGoMap(arg)) {
    return `map[${sortedKeys(arg)
      .map((k) => `${formatVerb(verb, k, spec)}:${formatVerb(verb, arg[k]!, spec)}`)
      .join(' ')}]`;
  }
  const kind = kindOf(arg);
  switch (verb) {
    case 'v':
      return kind === 'int' || kind === 'float' ? signed(formatValue(arg), spec) : formatValue(arg);
    case 's':
      return kind === 'string' ? truncate(arg as string, spec.precision) : badVerb(verb, arg);
    case 'q':
      if (kind === 'string') return quoteGo(arg as string);
      return kind === 'int' ? `'${String.fromCodePoint(Number(arg))}'` : badVerb(verb, arg);
    case 'd':
      return kind === 'int' ? signed(String(arg), spec) : badVerb(verb, arg);
    case 't':
      return kind === 'bool' ? String(arg) : badVerb(verb, arg);
    case 'x':
    case 'X':
      return hex(verb, arg, kind) ?? badVerb(verb, arg);
    case 'f':
    case 'F':
    case 'e':
    case 'g':
      return kind === 'float'
        ? signed(formatFloatVerb(verb, arg as number, spec.precision), spec)
        : badVerb(verb, arg);
    default:
      return badVerb(verb, arg);
  }
}

function signed(text: string, spec: Spec): string {
  if (text.startsWith('-')) return text;
  if (spec.plus) return `+${text}`;
  return spec.space ? ` ${text}` : text;
}

function truncate(s: string, precision: number | null): string {
  return precision === null ? s : [...s].slice(0, precision).join('');
}

function hex(verb: string, arg: GoValue, kind: string): string | null {
  let text: string | null = null;
  if (kind === 'int') {
    const n = arg as bigint;
    text = n < 0n ? `-${(-n).toString(16)}` : n.toString(16);
  } else if (kind === 'string') {
    text = Buffer.from(arg as string, 'utf8').toString('hex');
  }
  return text !== null && verb === 'X' ? text.toUpperCase() : text;
}

function formatFloatVerb(verb: string, f: number, precision: number | null): string {
  if (!Number.isFinite(f)) return formatFloat(f);
  switch (verb) {
    case 'e': {
      const [m, e] = f.toExponential(precision ?? 6).split('e') as [string, string];
      const exp = Number(e);
      return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    }
    case 'g':
      return precision === null ? formatFloat(f) : String(Number(f.toPrecision(Math.max(1, precision))));
    default:
      return toFixedGo(f, precision ?? 6);
  }
}

/** toFixed rounds an exact tie (2.25 to one place) away from zero; Go rounds it to even. */
function toFixedGo(f: number, precision: number): string {
  const fixed = f.toFixed(precision);
  const exact = Math.abs(f).toFixed(Math.min(100, precision + 40));
  const point = exact.indexOf('.');
  const kept = exact.slice(0, precision === 0 ? point : point + 1 + precision);
  if (!/^50*$/.test(exact.slice(point + 1 + precision))) return fixed;
  const lastDigit = Number(kept[kept.length - 1]);
  return lastDigit % 2 === 0 ? `${f < 0 ? '-' : ''}${kept}` : fixed;
}
