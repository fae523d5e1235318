/**
 * Go literal syntax as text/template reads it: strconv.Unquote for string and character constants
 * and the number rules of parse.NumberNode (an integer constant is a Go int, anything with a
 * fraction or exponent is a float64).
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Unquotes a Go interpreted ("..."), raw (`...`) or rune ('x') literal; null when malformed. */
export function unquoteGo(literal: string): string | null {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return null;
  const body = literal.slice(1, -1);
  if (quote === '`') return body.replaceAll('\r', '');
  if (quote !== '"' && quote !== "'") return null;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === quote || c === '\n') return null;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const escaped = unescapeAt(body, i + 1, quote);
    if (!escaped) return null;
    out += escaped.text;
    i += escaped.length;
  }
  return out;
}

function unescapeAt(body: string, at: number, quote: string): { text: string; length: number } | null {
  const e = body[at];
  if (e === undefined) return null;
  if (SIMPLE_ESCAPES[e] !== undefined) return { text: SIMPLE_ESCAPES[e], length: 1 };
  if (e === quote) return { text: e, length: 1 };
  const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLength) {
    const hex = body.slice(at + 1, at + 1 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) return null;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return null;
    // \x is a byte: Go strings are bytes, and a lone byte >= 0x80 is not valid text here.
    if (e === 'x' && code >= 0x80) return null;
    return { text: String.fromCodePoint(code), length: 1 + hexLength };
  }
  const octal = body.slice(at, at + 3);
  if (/^[0-7]{3}$/.test(octal) && parseInt(octal, 8) < 0x80) {
    return { text: String.fromCharCode(parseInt(octal, 8)), length: 3 };
  }
  return null;
}

export interface GoNumber {
  readonly value: number | bigint;
  readonly isInt: boolean;
}

/** Parses a number constant as text/template does; null when Go would report bad syntax. */
export function parseGoNumber(text: string): GoNumber | null {
  if (text.endsWith('i')) return null;
  const clean = text.replaceAll('_', '');
  const isHex = /^[+-]?0[xX]/.test(clean);
  const isFloat = isHex ? /[pP.]/.test(clean) : /[.eE]/.test(clean);
  if (isFloat) {
    const value = isHex ? parseHexFloat(clean) : Number(clean);
    return Number.isNaN(value) || !/[0-9]/.test(clean) ? null : { value, isInt: false };
  }
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(clean);
  if (!m) return null;
  const digits = m[2]!;
  const normalized = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits;
  const magnitude = BigInt(normalized.toLowerCase().replace(/^0([xob])/, '0$1'));
  const value = m[1] === '-' ? -magnitude : magnitude;
  // A Go int is 64 bits on the platforms Helm runs on.
  if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) return null;
  return { value, isInt: true };
}

function parseHexFloat(text: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return NaN;
  const mantissa = parseInt(`${m[2] || '0'}${m[3] ?? ''}`, 16) / 16 ** (m[3]?.length ?? 0);
  const value = mantissa * 2 ** Number(m[4]);
  return m[1] === '-' ? -value : value;
}
