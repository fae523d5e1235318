import type {
  ArgNode,
  CommandNode,
  ListNode,
  Node,
  ParsedTemplate,
  PipeNode,
  Pos,
} from './template-ast.types.js';
import { TemplateError } from './template-error.util.js';
import { parseGoNumber, unquoteGo } from './go-literal.util.js';
import { lex, type Token, type TokenType } from './template-lexer.util.js';

/**
 * Go text/template's parser (text/template/parse/parse.go) for the node kinds in
 * template-ast.types.ts. Like Go, it rejects unknown functions and undefined variables at parse
 * time, treats `else if`/`else with` as a nested node, and collects `define`/`block` bodies as
 * separate templates.
 */

export interface ParseResult {
  /** The file's own body; `define`d templates are in `defines`. */
  readonly main: ParsedTemplate;
  readonly defines: readonly ParsedTemplate[];
}

type Terminator = { kind: 'end' | 'else'; pos: Pos };
type ListEnd = Terminator | { kind: 'eof'; pos: Pos };

export function parseTemplate(
  name: string,
  text: string,
  isFunction: (name: string) => boolean,
): ParseResult {
  const parser = new Parser(text, lex(name, text), isFunction);
  return { main: { name, root: parser.parseTop() }, defines: parser.defines };
}

class Parser {
  readonly defines: ParsedTemplate[] = [];
  private index = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly isFunction: (name: string) => boolean,
  ) {}

  parseTop(): ListNode {
    const root: Node[] = [];
    while (this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'leftDelim') {
        const start = this.index;
        this.next();
        const k = this.peekNonSpace();
        if (k.type === 'keyword' && k.value === 'define') {
          this.next();
          this.parseDefinition();
          continue;
        }
        this.index = start;
      }
      const node = this.textOrAction();
      if ('kind' in node) this.fail(node.pos, `unexpected {{${node.kind}}}`);
      root.push(node);
    }
    return root;
  }

  // ---- token helpers ----

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const t = this.tokens[this.index]!;
    if (t.type !== 'eof') this.index++;
    return t;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }

  /** Like Go's peekNonSpace, this consumes the spaces but not the token. */
  private peekNonSpace(): Token {
    while (this.tokens[this.index]!.type === 'space') this.index++;
    return this.tokens[this.index]!;
  }

  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  private fail(pos: Pos, message: string): never {
    throw TemplateError.parse(pos, message);
  }

  private unexpected(t: Token, context: string): never {
    if (t.type === 'eof') this.fail(t.pos, `unexpected EOF in ${context}`);
    this.fail(t.pos, `unexpected ${describe(t)} in ${context}`);
  }

  // ---- structure ----

  private parseDefinition(): void {
    const nameToken = this.nextNonSpace();
    const defName = this.templateName(nameToken, 'define clause');
    this.expect('rightDelim', 'define clause');
    this.defines.push({ name: defName, root: this.withFreshVars(() => this.listUntilEnd('define')) });
  }

  private withFreshVars<T>(fn: () => T): T {
    const saved = this.vars;
    this.vars = ['$'];
    try {
      return fn();
    } finally {
      this.vars = saved;
    }
  }

  private listUntilEnd(context: string): ListNode {
    const { list, end } = this.itemList();
    if (end.kind !== 'end') this.fail(end.pos, `unexpected {{${end.kind}}} in ${context}`);
    return list;
  }

  private itemList(): { list: Node[]; end: ListEnd } {
    const list: Node[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const node = this.textOrAction();
      if ('kind' in node) return { list, end: node };
      list.push(node);
    }
    this.fail(this.peek().pos, 'unexpected EOF');
  }

  private textOrAction(): Node | Terminator {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { type: 'text', text: t.value };
    if (t.type === 'leftDelim') return this.action();
    this.unexpected(t, 'input');
  }

  private action(): Node | Terminator {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.value) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(t.value, t.pos);
        case 'else':
          return this.elseControl(t.pos);
        case 'end':
          this.expect('rightDelim', 'end');
          return { kind: 'end', pos: t.pos };
        case 'template':
          return this.templateControl();
        case 'block':
          return this.blockControl();
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(t.pos, `{{${t.value}}} outside {{range}}`);
          this.expect('rightDelim', t.value);
          return { type: t.value, pos: t.pos };
        default:
          break;
      }
    }
    this.index--;
    // Variables declared here persist until the enclosing control's {{end}}.
    return { type: 'action', pos: t.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private elseControl(pos: Pos): Terminator {
    const peek = this.peekNonSpace();
    // `{{else if x}}` is `{{else}}{{if x}}`: leave the `if`/`with` for the caller.
    if (peek.type === 'keyword' && (peek.value === 'if' || peek.value === 'with'))
      return { kind: 'else', pos };
    this.expect('rightDelim', 'else');
    return { kind: 'else', pos };
  }

  private control(context: 'if' | 'with' | 'range', pos: Pos): Node {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const { list, end } = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (end.kind === 'else') {
        const chained = this.peek();
        if (context !== 'range' && chained.type === 'keyword' && chained.value === context) {
          this.next();
          elseList = [this.control(context, chained.pos)];
        } else {
          elseList = this.listUntilEnd(context);
        }
      } else if (end.kind !== 'end') {
        this.fail(end.pos, 'unexpected EOF');
      }
      return { type: context, pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    const s = unquoteGo(t.value);
    if (s === null) this.fail(t.pos, `bad string syntax: ${t.value}`);
    return s;
  }

  /** Go records a template node at its name, not at the keyword. */
  private templateControl(): Node {
    const token = this.nextNonSpace();
    const name = this.templateName(token, 'template clause');
    if (this.nextNonSpace().type === 'rightDelim')
      return { type: 'template', pos: token.pos, name, pipe: null };
    this.index--;
    return { type: 'template', pos: token.pos, name, pipe: this.pipeline('template clause', 'rightDelim') };
  }

  private blockControl(): Node {
    const token = this.nextNonSpace();
    const pos = token.pos;
    const name = this.templateName(token, 'block clause');
    const pipe = this.pipeline('block clause', 'rightDelim');
    this.defines.push({ name, root: this.withFreshVars(() => this.listUntilEnd('block clause')) });
    return { type: 'template', pos, name, pipe };
  }

  // ---- pipelines ----

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const decl = this.declarations(context);
    const cmds: CommandNode[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        if (cmds.length === 0) this.fail(t.pos, `missing value for ${context}`);
        cmds.slice(1).forEach((c, i) => {
          const kind = c.args[0]!.type;
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(kind)) {
            this.fail(c.pos, `non executable command in pipeline stage ${i + 2}`);
          }
        });
        const src = this.text.slice(first.offset, t.offset).trim();
        return { pos: first.pos, decl: decl.names, isAssign: decl.isAssign, cmds, src };
      }
      if (!OPERAND_START.has(t.type) && !(t.type === 'keyword' && t.value === 'nil'))
        this.unexpected(t, context);
      this.index--;
      cmds.push(this.command());
    }
  }

  private declarations(context: string): { names: string[]; isAssign: boolean } {
    const names: string[] = [];
    let isAssign = false;
    for (;;) {
      const start = this.index;
      const v = this.peekNonSpace();
      if (v.type !== 'variable') {
        if (names.length > 0) this.fail(v.pos, 'range can only initialize variables');
        return { names, isAssign };
      }
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'declare' || after.type === 'assign') {
        this.nextNonSpace();
        isAssign = after.type === 'assign';
        if (isAssign && !this.vars.includes(v.value)) this.fail(v.pos, `undefined variable "${v.value}"`);
        names.push(v.value);
        this.vars.push(v.value);
        return { names, isAssign };
      }
      if (after.type === 'comma') {
        this.nextNonSpace();
        names.push(v.value);
        this.vars.push(v.value);
        if (context === 'range' && names.length < 2) continue;
        this.fail(after.pos, `too many declarations in ${context}`);
      }
      if (names.length > 0) this.fail(v.pos, 'range can only initialize variables');
      this.index = start;
      return { names, isAssign };
    }
  }

  private command(): CommandNode {
    const first = this.peekNonSpace();
    const args: ArgNode[] = [];
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.index--;
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      const last = this.tokens[this.index - 1]!;
      const src = this.text.slice(
        first.offset,
        t.type === 'pipe' ? t.offset : last.offset + last.value.length,
      );
      if (args.length === 0) this.fail(first.pos, 'empty command');
      return { pos: first.pos, args, src: src.trim() };
    }
  }

  private operand(): ArgNode | null {
    const start = this.peek();
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const chain: string[] = [];
    while (this.peek().type === 'field') chain.push(...this.next().value.slice(1).split('.'));
    switch (node.type) {
      case 'field':
      case 'variable':
      case 'pipe':
        return { ...node, chain: [...node.chain, ...chain] };
      case 'identifier':
        this.fail(start.pos, `unexpected . after term "${node.name}"`);
        break;
      default:
        this.fail(start.pos, `unexpected . after term`);
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    const pos = t.pos;
    switch (t.type) {
      case 'identifier':
        if (!this.isFunction(t.value)) this.fail(t.pos, `function "${t.value}" not defined`);
        return { pos, type: 'identifier', name: t.value };
      case 'dot':
        return { pos, type: 'dot' };
      case 'variable':
        if (!this.vars.includes(t.value)) this.fail(t.pos, `undefined variable "${t.value}"`);
        return { pos, type: 'variable', name: t.value, chain: [] };
      case 'field':
        return { pos, type: 'field', chain: [t.value.slice(1)] };
      case 'bool':
        return { pos, type: 'bool', value: t.value === 'true' };
      case 'number':
      case 'char':
        return this.number(t);
      case 'string':
      case 'rawString': {
        const value = unquoteGo(t.value);
        if (value === null) this.fail(t.pos, `bad string syntax: ${t.value}`);
        return { pos, type: 'string', value, text: t.value };
      }
      case 'leftParen':
        return { pos, type: 'pipe', pipe: this.pipeline('parenthesized pipeline', 'rightParen'), chain: [] };
      default:
        if (t.type === 'keyword' && t.value === 'nil') return { pos, type: 'nil' };
        this.index--;
        return null;
    }
  }

  private number(t: Token): ArgNode {
    if (t.type === 'char') {
      const s = unquoteGo(t.value);
      if (s === null || [...s].length !== 1) this.fail(t.pos, `malformed character constant: ${t.value}`);
      return { pos: t.pos, type: 'number', value: BigInt(s.codePointAt(0)!), isInt: true, text: t.value };
    }
    const n = parseGoNumber(t.value);
    if (!n) this.fail(t.pos, `illegal number syntax: "${t.value}"`);
    return { pos: t.pos, type: 'number', value: n.value, isInt: n.isInt, text: t.value };
  }
}

const OPERAND_START = new Set<TokenType>([
  'bool',
  'char',
  'dot',
  'field',
  'identifier',
  'number',
  'rawString',
  'string',
  'variable',
  'leftParen',
]);

function describe(t: Token): string {
  switch (t.type) {
    case 'rightDelim':
      return '"}}"';
    case 'leftDelim':
      return '"{{"';
    case 'text':
      return 'text';
    default:
      return `"${t.value}"`;
  }
}
