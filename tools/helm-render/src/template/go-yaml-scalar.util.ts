/**
 * How go-yaml v2 decides to quote a string: `resolvesAsNonString` is its resolve() (YAML 1.1:
 * yes/no/on/off, octal, sexagesimal, timestamps) and `analyzeScalar` is libyaml's
 * yaml_emitter_analyze_scalar, which rules out styles that would not read back as the same text.
 */

const RESOLVE_MAP = new Map<string, null | boolean | number>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((k) => [k, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (k) => [k, false] as const,
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map((k) => [k, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((k) => [k, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((k) => [k, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((k) => [k, -Infinity] as const),
]);

const MAP_HINTS = new Set('yYnNtTfFoO~');
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** strconv.ParseFloat on text starting with a dot. */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * go-yaml v2's resolve() for a plain scalar, as seen through sigs.k8s.io/yaml: the value a plain
 * (unquoted) scalar stands for. Timestamps stay strings, as go-yaml leaves them in interface{}.
 */
export function resolveGoYamlScalar(s: string): null | boolean | number | string {
  const c = s[0];
  const hint =
    s === ''
      ? 'M'
      : c === '+' || c === '-'
        ? 'S'
        : /[0-9]/.test(c!)
          ? 'D'
          : c === '.'
            ? '.'
            : MAP_HINTS.has(c!)
              ? 'M'
              : '';
  if (hint === '') return s;
  const mapped = RESOLVE_MAP.get(s);
  if (mapped !== undefined) return mapped;
  if (hint === '.') return DOT_FLOAT.test(s) ? Number(s) : s;
  if (hint === 'M' || isTimestamp(s)) return s;
  const plain = s.replaceAll('_', '');
  const int = parseGoInt(plain);
  if (int !== null) return Number(int);
  return YAML_STYLE_FLOAT.test(plain) ? Number(plain) : s;
}

/** Whether go-yaml quotes this string when it writes it (so it cannot be read back as another type). */
export function resolvesAsNonString(s: string): boolean {
  if (s.includes(':') && BASE60_FLOAT.test(s)) return true;
  return typeof resolveGoYamlScalar(s) !== 'string' || (/^[0-9]/.test(s) && isTimestamp(s));
}

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint(s, 0, 64); null when both fail. */
function parseGoInt(s: string): bigint | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const digits = m[2]!;
  const literal = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits;
  const magnitude = BigInt(literal.replace(/^0([XOB])/, (_, p: string) => `0${p.toLowerCase()}`));
  const value = m[1] === '-' ? -magnitude : magnitude;
  const fits = m[1] === '' ? value < 2n ** 64n : value >= -(2n ** 63n) && value < 2n ** 63n;
  return fits ? value : null;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** go-yaml's parseTimestamp: a date, optionally with a time, in one of four layouts. */
function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return false;
  const [h, min, sec] = [m[4] ?? m[7], m[5] ?? m[8], m[6] ?? m[9]].map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
  ];
  return h < 24 && min < 60 && sec < 60;
}

export interface ScalarAnalysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
  readonly startsWithSpaceOrBreak: boolean;
}

export const isBreakChar = (c: string | undefined): boolean =>
  c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** libyaml's is_printable, decoded from its UTF-8 byte tests into code point ranges. */
export function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

interface Flags {
  blockIndicators: boolean;
  lineBreaks: boolean;
  special: boolean;
  leadingSpace: boolean;
  leadingBreak: boolean;
  trailingSpace: boolean;
  trailingBreak: boolean;
  breakSpace: boolean;
  spaceBreak: boolean;
}

function indicatorAt(chars: string[], i: number, precededByWhitespace: boolean): boolean {
  const c = chars[i]!;
  const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
  if (i === 0) {
    if ('#,[]{}&*!|>\'"%@`'.includes(c)) return true;
    return (c === '?' || c === ':' || c === '-') && followedByWhitespace;
  }
  return (c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace);
}

export function analyzeScalar(s: string): ScalarAnalysis {
  const chars = [...s];
  if (chars.length === 0) {
    return {
      multiline: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
      startsWithSpaceOrBreak: false,
    };
  }
  const f: Flags = {
    blockIndicators: s.startsWith('---') || s.startsWith('...'),
    lineBreaks: false,
    special: false,
    leadingSpace: false,
    leadingBreak: false,
    trailingSpace: false,
    trailingBreak: false,
    breakSpace: false,
    spaceBreak: false,
  };
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  chars.forEach((c, i) => {
    const last = i === chars.length - 1;
    if (indicatorAt(chars, i, precededByWhitespace)) f.blockIndicators = true;
    if (!isPrintable(c.codePointAt(0)!)) f.special = true;
    if (c === ' ') {
      f.leadingSpace ||= i === 0;
      f.trailingSpace ||= last;
      f.breakSpace ||= previousBreak;
      [previousSpace, previousBreak] = [true, false];
    } else if (isBreakChar(c)) {
      f.lineBreaks = true;
      f.leadingBreak ||= i === 0;
      f.trailingBreak ||= last;
      f.spaceBreak ||= previousSpace;
      [previousSpace, previousBreak] = [false, true];
    } else {
      [previousSpace, previousBreak] = [false, false];
    }
    precededByWhitespace = isBlank(c) || isBreakChar(c) || c === '\0';
  });
  return verdict(f, chars[0] === ' ' || isBreakChar(chars[0]));
}

function verdict(f: Flags, startsWithSpaceOrBreak: boolean): ScalarAnalysis {
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (f.leadingSpace || f.leadingBreak || f.trailingSpace || f.trailingBreak) blockPlainAllowed = false;
  if (f.trailingSpace) blockAllowed = false;
  if (f.breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (f.spaceBreak || f.special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (f.lineBreaks || f.blockIndicators) blockPlainAllowed = false;
  return {
    multiline: f.lineBreaks,
    blockPlainAllowed,
    singleQuotedAllowed,
    blockAllowed,
    startsWithSpaceOrBreak,
  };
}
