import type { Pos } from './template-ast.types.js';
import { TemplateError } from './template-error.util.js';

/**
 * Go text/template's lexer (text/template/parse/lex.go) for the default `{{ }}` delimiters:
 * trim markers, comments, and the tokens inside actions. Spaces inside actions are tokens,
 * because `$x.Field` and `$x .Field` mean different things.
 */

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'bool'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'leftParen'
  | 'rightParen'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly pos: Pos;
  /** Offset in the source, used to slice the text of a pipeline for error messages. */
  readonly offset: number;
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'nil',
  'template',
  'with',
]);
const SPACE_CHARS = ' \t\r\n';

const isSpace = (c: string | undefined): boolean => c !== undefined && c !== '' && SPACE_CHARS.includes(c);
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-';
}

export function lex(file: string, input: string): Token[] {
  return new Lexer(file, input).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private readonly lineStarts: number[] = [0];
  private pos = 0;
  private parenDepth = 0;

  constructor(
    private readonly file: string,
    private readonly input: string,
  ) {
    for (let i = 0; i < input.length; i++) if (input[i] === '\n') this.lineStarts.push(i + 1);
  }

  run(): Token[] {
    let trimNext = false;
    while (this.pos <= this.input.length) {
      const open = this.input.indexOf('{{', this.pos);
      let text = this.input.slice(this.pos, open < 0 ? undefined : open);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
      if (open < 0) {
        if (text) this.emit('text', text, this.pos);
        break;
      }
      const leftTrim = hasLeftTrimMarker(this.input, open + 2);
      if (leftTrim) text = text.replace(/[ \t\r\n]+$/, '');
      if (text) this.emit('text', text, this.pos);
      const body = open + 2 + (leftTrim ? 2 : 0);
      trimNext = this.input.startsWith('/*', body) ? this.lexComment(open, body) : this.lexAction(open, body);
    }
    this.emit('eof', '', this.input.length);
    return this.tokens;
  }

  private position(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: offset - this.lineStarts[lo]! };
  }

  private emit(type: TokenType, value: string, offset: number): void {
    this.tokens.push({ type, value, pos: this.position(offset), offset });
  }

  private fail(offset: number, message: string): never {
    throw TemplateError.parse(this.position(offset), message);
  }

  /** Returns whether the delimiter at `at` closes the action, and whether it trims. */
  private rightDelimAt(at: number): { close: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, at) && this.input.startsWith('}}', at + 2))
      return { close: true, trim: true };
    return { close: this.input.startsWith('}}', at), trim: false };
  }

  private lexComment(open: number, body: number): boolean {
    const start = body + 2;
    const end = this.input.indexOf('*/', start);
    if (end < 0) this.fail(open, 'unclosed comment');
    const after = end + 2;
    const delim = this.rightDelimAt(after);
    if (!delim.close) this.fail(after, 'comment ends before closing delimiter');
    this.pos = after + (delim.trim ? 2 : 0) + 2;
    return delim.trim;
  }

  private lexAction(open: number, body: number): boolean {
    this.emit('leftDelim', '{{', open);
    this.pos = body;
    this.parenDepth = 0;
    for (;;) {
      const delim = this.rightDelimAt(this.pos);
      if (delim.close) {
        if (this.parenDepth > 0) this.fail(this.pos, 'unclosed left paren');
        this.emit('rightDelim', '}}', this.pos);
        this.pos += (delim.trim ? 2 : 0) + 2;
        return delim.trim;
      }
      this.lexToken();
    }
  }

  private lexToken(): void {
    const start = this.pos;
    const c = this.input[this.pos];
    if (c === undefined) this.fail(start, 'unclosed action');
    if (isSpace(c)) return this.lexSpace();
    const simple: Record<string, TokenType> = { '=': 'assign', '|': 'pipe', ',': 'comma' };
    if (simple[c]) {
      this.pos++;
      return this.emit(simple[c]!, c, start);
    }
    if (c === ':') {
      if (this.input[this.pos + 1] !== '=') this.fail(start, 'expected :=');
      this.pos += 2;
      return this.emit('declare', ':=', start);
    }
    if (c === '"') return this.lexQuoted('"', 'string');
    if (c === '`') return this.lexQuoted('`', 'rawString');
    if (c === "'") return this.lexQuoted("'", 'char');
    if (c === '$') return this.lexFieldOrVariable('variable');
    if (c === '.' && !/[0-9]/.test(this.input[this.pos + 1] ?? '')) return this.lexFieldOrVariable('field');
    if (c === '.' || c === '+' || c === '-' || /[0-9]/.test(c)) return this.lexNumber();
    if (isAlphaNumeric(c)) return this.lexIdentifier();
    if (c === '(' || c === ')') return this.lexParen(c);
    this.fail(start, `unrecognized character in action: ${JSON.stringify(c)}`);
  }

  private lexParen(c: '(' | ')'): void {
    this.parenDepth += c === '(' ? 1 : -1;
    if (this.parenDepth < 0) this.fail(this.pos, 'unexpected right paren');
    this.emit(c === '(' ? 'leftParen' : 'rightParen', c, this.pos++);
  }

  private lexSpace(): void {
    const start = this.pos;
    while (isSpace(this.input[this.pos])) this.pos++;
    // A space followed by `-}}` belongs to the trim marker, not to the action.
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith('}}', this.pos + 1)) {
      this.pos--;
      if (this.pos === start) return;
    }
    this.emit('space', this.input.slice(start, this.pos), start);
  }

  private atTerminator(): boolean {
    const c = this.input[this.pos];
    if (c === undefined || isSpace(c) || '.,|:()'.includes(c)) return true;
    return this.rightDelimAt(this.pos).close;
  }

  private lexFieldOrVariable(type: 'field' | 'variable'): void {
    const start = this.pos++;
    if (this.atTerminator())
      return this.emit(type === 'variable' ? 'variable' : 'dot', this.input[start]!, start);
    while (isAlphaNumeric(this.input[this.pos])) this.pos++;
    if (!this.atTerminator()) this.fail(this.pos, `bad character ${JSON.stringify(this.input[this.pos])}`);
    this.emit(type, this.input.slice(start, this.pos), start);
  }

  private lexIdentifier(): void {
    const start = this.pos;
    while (isAlphaNumeric(this.input[this.pos])) this.pos++;
    if (!this.atTerminator()) this.fail(this.pos, `bad character ${JSON.stringify(this.input[this.pos])}`);
    const word = this.input.slice(start, this.pos);
    const type: TokenType = KEYWORDS.has(word)
      ? 'keyword'
      : word === 'true' || word === 'false'
        ? 'bool'
        : 'identifier';
    this.emit(type, word, start);
  }

  private lexNumber(): void {
    const start = this.pos;
    const m =
      /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[oO][0-7_]*|0[bB][01_]*|[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?)i?/.exec(
        this.input.slice(start),
      );
    this.pos += m![0].length;
    if (isAlphaNumeric(this.input[this.pos]) || m![0] === '' || m![0] === '.') {
      this.fail(start, `bad number syntax: ${JSON.stringify(this.input.slice(start, this.pos + 1))}`);
    }
    this.emit('number', m![0], start);
  }

  private lexQuoted(quote: string, type: 'string' | 'rawString' | 'char'): void {
    const start = this.pos++;
    for (;;) {
      const c = this.input[this.pos++];
      if (c === undefined || (c === '\n' && quote !== '`')) {
        this.fail(
          start,
          type === 'rawString' ? 'unterminated raw quoted string' : 'unterminated quoted string',
        );
      }
      if (c === '\\' && quote !== '`') this.pos++;
      else if (c === quote) break;
    }
    this.emit(type, this.input.slice(start, this.pos), start);
  }
}
