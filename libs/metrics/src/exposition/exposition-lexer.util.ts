/**
 * Character-level scanning for the exposition parser. Kept apart so the parser reads as grammar,
 * and written with `charCodeAt` because a collector parses tens of thousands of lines per scrape.
 */

const SPACE = 0x20;
const TAB = 0x09;

export function isSpace(c: number): boolean {
  return c === SPACE || c === TAB;
}

export function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** End index of a metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`) starting at `i`, or `i` when there is none. */
export function scanMetricName(s: string, i: number): number {
  if (i >= s.length) return i;
  const first = s.charCodeAt(i);
  if (!isLetterOrUnderscore(first) && first !== 0x3a) return i;
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (!isLetterOrUnderscore(c) && !isDigit(c) && c !== 0x3a) break;
    j++;
  }
  return j;
}

/** End index of a label name (`[a-zA-Z_][a-zA-Z0-9_]*`) starting at `i`, or `i` when there is none. */
export function scanLabelName(s: string, i: number): number {
  if (i >= s.length || !isLetterOrUnderscore(s.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (!isLetterOrUnderscore(c) && !isDigit(c)) break;
    j++;
  }
  return j;
}

export function isMetricName(s: string): boolean {
  return s.length > 0 && scanMetricName(s, 0) === s.length;
}

export function isLabelName(s: string): boolean {
  return s.length > 0 && scanLabelName(s, 0) === s.length;
}

/**
 * Reads a double-quoted label value whose opening quote is at `i - 1`. Unescapes `\\`, `\"` and
 * `\n`; any other escape is kept as written, as Prometheus does. Returns the value and the index
 * after the closing quote, or `undefined` when the line ends first.
 */
export function scanQuoted(s: string, i: number): { value: string; end: number } | undefined {
  let out = '';
  let runStart = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return { value: out + s.slice(runStart, i), end: i + 1 };
    if (c === 0x5c) {
      if (i + 1 >= s.length) return undefined;
      out += s.slice(runStart, i);
      const next = s[i + 1]!;
      out += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : '\\' + next;
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  return undefined;
}

/** End index of a run of non-space characters starting at `i`. */
export function scanToken(s: string, i: number): number {
  while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
  return i;
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a sample value as Go's ParseFloat does for this format: decimals, NaN, Inf, +Inf, -Inf. */
export function parseValue(token: string): number | undefined {
  if (FLOAT.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return Number.NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

const INTEGER = /^-?\d+$/;

/**
 * Parses a timestamp: an integer is milliseconds (format 0.0.4); a decimal is OpenMetrics'
 * seconds. Returns `undefined` when the token is neither or not a safe number.
 */
export function parseTimestamp(token: string): number | undefined {
  if (INTEGER.test(token)) {
    const ms = Number(token);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  if (FLOAT.test(token)) {
    const ms = Math.round(Number(token) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  return undefined;
}

/** Unescapes a HELP docstring: `\\` and `\n` only. */
export function unescapeHelp(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === '\\' ? '\\' : '\\' + c));
}
