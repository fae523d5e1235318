import type {
  ArgNode,
  CommandNode,
  IfNode,
  ListNode,
  Node,
  ParsedTemplate,
  PipeNode,
  Pos,
  RangeNode,
  TemplateNode,
  WithNode,
} from './template-ast.types.js';
import { FunctionError, TemplateError } from './template-error.util.js';
import { MAX_TEMPLATE_DEPTH, type ExecEnv } from './template-exec.types.js';
import {
  NodeError,
  NIL_IFACE,
  argSrc,
  dig,
  literalArg,
  rangeItems,
  validateArg,
  type Val,
} from './template-eval.util.js';
import {
  GoStruct,
  formatValue,
  goTypeName,
  isGoMap,
  isTrue,
  mapGet,
  paramTypeName,
  type FunctionContext,
  type GoValue,
  type ParamKind,
  type TemplateFunction,
} from './go-value.util.js';

/**
 * Executes a parsed template with Go text/template's semantics (text/template/exec.go) under
 * Helm's `missingkey=zero` option: a missing map key is a nil that prints as `<no value>`, but
 * reading a field of that nil inside the same chain is Go's "nil pointer evaluating" error.
 */

/** No value piped in from a previous command. */
const MISSING = Symbol('missing');
type Final = Val | typeof MISSING;

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

export function executeTemplate(env: ExecEnv, tmpl: ParsedTemplate, data: GoValue, depth = 0): string {
  const state = new State(env, tmpl.name, data, depth);
  state.walk(data, tmpl.root);
  return state.output();
}

class State {
  private readonly out: string[] = [];
  private readonly vars: { name: string; value: Val }[];
  private at: { pos: Pos; src: string } = { pos: { file: '', line: 0, col: 0 }, src: '' };

  constructor(
    private readonly env: ExecEnv,
    private readonly name: string,
    root: GoValue,
    private readonly depth: number,
  ) {
    this.vars = [{ name: '$', value: root }];
  }

  output(): string {
    return this.out.join('');
  }

  private fail(message: string): never {
    throw TemplateError.exec(this.at.pos, this.name, this.at.src, message);
  }

  walk(dot: Val, list: ListNode): void {
    for (const node of list) this.walkNode(dot, node);
  }

  private walkNode(dot: Val, node: Node): void {
    switch (node.type) {
      case 'text':
        this.out.push(node.text);
        return;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.out.push(value === null ? '<no value>' : formatValue(value));
        return;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private walkIfOrWith(dot: Val, node: IfNode | WithNode): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (isTrue(value)) this.walk(node.type === 'with' ? value : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: Val, node: RangeNode): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const items = this.checked(() => rangeItems(value, node.pipe.decl.length));
      const inner = this.vars.length;
      for (const [index, elem] of items) {
        this.setRangeVars(node.pipe, index, elem);
        try {
          this.walk(elem, node.list);
        } catch (e) {
          if (e === BREAK) break;
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = inner;
        }
      }
      if (items.length === 0 && node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private setRangeVars(pipe: PipeNode, index: GoValue, elem: Val): void {
    const decl = pipe.decl;
    if (decl.length === 0) return;
    if (pipe.isAssign) {
      if (decl.length > 1) this.setVar(decl[0]!, index);
      this.setVar(decl[decl.length - 1]!, elem);
      return;
    }
    this.vars[this.vars.length - 1]!.value = elem;
    if (decl.length > 1) this.vars[this.vars.length - 2]!.value = index;
  }

  private walkTemplate(dot: Val, node: TemplateNode): void {
    const args = node.pipe ? ` ${node.pipe.src}` : '';
    this.at = { pos: node.pos, src: `{{template "${node.name}"${args}}}` };
    const tmpl = this.env.lookup(node.name);
    if (!tmpl) this.fail(`template "${node.name}" not defined`);
    if (this.depth >= MAX_TEMPLATE_DEPTH)
      this.fail(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const data = node.pipe ? this.evalPipeline(dot, node.pipe) : null;
    this.out.push(executeTemplate(this.env, tmpl, data, this.depth + 1));
  }

  // ---- variables ----

  private varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.fail(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  // ---- pipelines and commands ----

  private evalPipeline(dot: Val, pipe: PipeNode): GoValue {
    this.at = { pos: pipe.pos, src: pipe.src };
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = dig(this.evalCommand(dot, cmd, value));
    const result = value === MISSING ? null : dig(value);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    this.at = { pos: cmd.pos, src: cmd.src };
    const [first, ...rest] = cmd.args;
    switch (first!.type) {
      case 'field':
        return this.evalFieldChain(dot, dot, first!.chain, rest, final);
      case 'variable': {
        const value = this.varValue(first!.name);
        if (first!.chain.length === 0) return this.notAFunction(cmd, final, value);
        return this.evalFieldChain(dot, value, first!.chain, rest, final);
      }
      case 'pipe': {
        if (first!.chain.length === 0)
          return this.notAFunction(cmd, final, this.evalPipeline(dot, first!.pipe));
        const receiver = this.evalPipeline(dot, first!.pipe);
        this.at = { pos: cmd.pos, src: cmd.src };
        return this.evalFieldChain(dot, receiver, first!.chain, rest, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first!, rest, final, cmd);
      case 'nil':
        this.fail('nil is not a command');
        break;
      case 'dot':
        return this.notAFunction(cmd, final, dot);
      case 'bool':
      case 'string':
        return this.notAFunction(cmd, final, first!.value);
      case 'number':
        return this.notAFunction(cmd, final, first!.value);
    }
  }

  private notAFunction(cmd: CommandNode, final: Final, value: Val): Val {
    if (cmd.args.length > 1 || final !== MISSING)
      this.fail(`can't give argument to non-function ${argSrc(cmd.args[0]!)}`);
    return value;
  }

  private evalFieldChain(
    dot: Val,
    receiver: Val,
    chain: readonly string[],
    args: readonly ArgNode[],
    final: Final,
  ): Val {
    let current = receiver;
    for (let i = 0; i < chain.length - 1; i++) current = this.evalField(dot, current, chain[i]!, [], MISSING);
    return this.evalField(dot, current, chain[chain.length - 1]!, args, final);
  }

  private evalField(dot: Val, receiver: Val, field: string, args: readonly ArgNode[], final: Final): Val {
    // A missing value from a pipeline: missingkey=zero makes every field of it missing too.
    if (receiver === null) return null;
    if (receiver === NIL_IFACE) this.fail(`nil pointer evaluating interface {}.${field}`);
    const hasArgs = args.length > 0 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const method = receiver.methods[field];
      if (method) return this.evalCall(dot, field, method, args, final);
      if (!Object.hasOwn(receiver.fields, field))
        this.fail(`can't evaluate field ${field} in type ${receiver.typeName}`);
      if (hasArgs) this.fail(`${field} has arguments but cannot be invoked as function`);
      return receiver.fields[field] ?? NIL_IFACE;
    }
    if (isGoMap(receiver)) {
      if (hasArgs) this.fail(`${field} is not a method but has arguments`);
      return mapGet(receiver, field) ?? NIL_IFACE;
    }
    this.fail(`can't evaluate field ${field} in type ${goTypeName(receiver)}`);
  }

  /** Go reports call errors at the whole command when the function heads one, else at its name. */
  private evalFunction(
    dot: Val,
    ident: Extract<ArgNode, { type: 'identifier' }>,
    args: readonly ArgNode[],
    final: Final,
    cmd?: CommandNode,
  ): GoValue {
    this.at = { pos: ident.pos, src: ident.name };
    const fn = this.env.fn(ident.name);
    if (!fn) this.fail(`"${ident.name}" is not a defined function`);
    const callSite = cmd ? { pos: cmd.pos, src: cmd.src } : this.at;
    return this.evalCall(dot, ident.name, fn, args, final, callSite);
  }

  private evalCall(
    dot: Val,
    name: string,
    fn: TemplateFunction,
    args: readonly ArgNode[],
    final: Final,
    callSite: { pos: Pos; src: string } = this.at,
  ): GoValue {
    const at = callSite;
    const numIn = args.length + (final === MISSING ? 0 : 1);
    const fixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < fixed)
        this.fail(`wrong number of args for ${name}: want at least ${fixed} got ${args.length}`);
    } else if (numIn !== fixed) {
      this.fail(`wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    }
    if (SHORT_CIRCUIT.has(name) && this.env.fn(name) === fn)
      return this.andOr(dot, name === 'or', args, final);
    const kindAt = (i: number): ParamKind => (i < fixed ? fn.params[i]! : fn.variadic!);
    const argv = args.map((arg, i) => this.evalArg(dot, kindAt(i), arg));
    if (final !== MISSING) argv.push(this.validate(final, kindAt(argv.length)));
    this.at = at;
    try {
      return fn.call(argv, this.context());
    } catch (e) {
      this.at = at;
      if (e instanceof TemplateError && e.code === 'TEMPLATE_FAIL') throw e;
      if (e instanceof FunctionError && e.userFacing) throw TemplateError.fail(at.pos, e.message);
      if (e instanceof FunctionError || e instanceof TemplateError)
        this.fail(`error calling ${name}: ${e.message}`);
      throw e;
    }
  }

  /** Go 1.18+ `and`/`or`: evaluate left to right and stop at the first value that decides. */
  private andOr(dot: Val, isOr: boolean, args: readonly ArgNode[], final: Final): GoValue {
    let value: GoValue = null;
    for (const arg of args) {
      value = this.evalArg(dot, 'any', arg);
      if (isTrue(value) === isOr) return value;
    }
    return final === MISSING ? value : dig(final);
  }

  private context(): FunctionContext {
    const { env, depth } = this;
    const nested = (name: string) => {
      if (depth >= MAX_TEMPLATE_DEPTH) {
        throw new FunctionError(
          `rendering template has a nested reference name: ${name}: unable to execute template`,
        );
      }
    };
    return {
      include: (name, data) => {
        nested(name);
        const tmpl = env.lookup(name);
        if (!tmpl)
          throw new FunctionError(`template: no template "${name}" associated with template "gotpl"`);
        return executeTemplate(env, tmpl, data, depth + 1);
      },
      tpl: (text, data) => {
        nested(this.name);
        const { env: copy, main } = env.withParsed(this.at.pos.file, text);
        return executeTemplate(copy, main, data, depth + 1).replaceAll('<no value>', '');
      },
    };
  }

  private evalArg(dot: Val, kind: ParamKind, arg: ArgNode): GoValue {
    const at = this.at;
    this.at = { pos: arg.pos, src: argSrc(arg) };
    const value = this.evalArgValue(dot, kind, arg);
    this.at = at;
    return value;
  }

  private evalArgValue(dot: Val, kind: ParamKind, arg: ArgNode): GoValue {
    switch (arg.type) {
      case 'dot':
        return this.validate(dot, kind);
      case 'nil':
        if (kind === 'any' || kind === 'map' || kind === 'list') return null;
        this.fail(`cannot assign nil to ${paramTypeName(kind)}`);
        break;
      case 'field':
        return this.validate(this.evalFieldChain(dot, dot, arg.chain, [], MISSING), kind);
      case 'variable': {
        const value = this.varValue(arg.name);
        const resolved = arg.chain.length ? this.evalFieldChain(dot, value, arg.chain, [], MISSING) : value;
        return this.validate(resolved, kind);
      }
      case 'pipe': {
        const value = this.evalPipeline(dot, arg.pipe);
        const resolved = arg.chain.length ? this.evalFieldChain(dot, value, arg.chain, [], MISSING) : value;
        return this.validate(resolved, kind);
      }
      case 'identifier':
        return this.validate(this.evalFunction(dot, arg, [], MISSING), kind);
      case 'bool':
      case 'string':
      case 'number':
        return this.checked(() => literalArg(kind, arg));
    }
  }

  private validate(value: Val, kind: ParamKind): GoValue {
    return this.checked(() => validateArg(value, kind));
  }

  /** Runs a rule of template-eval.util.ts, reporting its NodeError at the current node. */
  private checked<T>(check: () => T): T {
    try {
      return check();
    } catch (e) {
      if (e instanceof NodeError) this.fail(e.message);
      throw e;
    }
  }
}

const SHORT_CIRCUIT = new Set(['and', 'or']);
