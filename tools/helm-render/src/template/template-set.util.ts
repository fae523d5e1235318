import type { ListNode, ParsedTemplate } from './template-ast.types.js';
import { BUILTIN_FUNCTIONS } from './builtin-functions.util.js';
import { executeTemplate } from './template-exec.util.js';
import type { ExecEnv } from './template-exec.types.js';
import type { GoValue, TemplateFunction } from './go-value.util.js';
import { parseTemplate } from './template-parser.util.js';
import { SPRIG_FUNCTIONS } from './sprig-functions.util.js';
import { TemplateError } from './template-error.util.js';

/**
 * A set of associated templates, like Go's *template.Template: every parsed file and every
 * `define` shares one namespace, so any template can `include` any other.
 */
export class TemplateSet implements ExecEnv {
  private readonly templates = new Map<string, ParsedTemplate>();
  private functions: ReadonlyMap<string, TemplateFunction>;

  constructor(extraFunctions: Readonly<Record<string, TemplateFunction>> = {}) {
    this.functions = new Map(Object.entries({ ...BUILTIN_FUNCTIONS, ...SPRIG_FUNCTIONS, ...extraFunctions }));
  }

  /** Parses `text` as the template `name`; its `define`s join the set, replacing older ones. */
  parse(name: string, text: string): ParsedTemplate {
    const result = parseTemplate(name, text, (fn) => this.functions.has(fn));
    this.associate(result.main);
    for (const def of result.defines) this.associate(def);
    return result.main;
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  execute(name: string, data: GoValue): string {
    const tmpl = this.templates.get(name);
    if (!tmpl) {
      throw new TemplateError(
        'TEMPLATE_EXEC_ERROR',
        `template: no template "${name}" associated with the set`,
        null,
      );
    }
    return executeTemplate(this, tmpl, data);
  }

  lookup(name: string): ParsedTemplate | undefined {
    return this.templates.get(name);
  }

  fn(name: string): TemplateFunction | undefined {
    return this.functions.get(name);
  }

  withParsed(name: string, text: string): { env: ExecEnv; main: ParsedTemplate } {
    // Helm's tpl parses into a clone, so defines in the text stay local to that call.
    const copy = new TemplateSet();
    copy.functions = this.functions;
    for (const [key, tmpl] of this.templates) copy.templates.set(key, tmpl);
    return { env: copy, main: copy.parse(name, text) };
  }

  /** Go keeps an existing template when the new one with the same name is empty (only text spaces). */
  private associate(tmpl: ParsedTemplate): void {
    const old = this.templates.get(tmpl.name);
    if (old && isEmptyTree(tmpl.root) && !isEmptyTree(old.root)) return;
    this.templates.set(tmpl.name, tmpl);
  }
}

function isEmptyTree(list: ListNode): boolean {
  return list.every((n) => n.type === 'text' && n.text.trim() === '');
}
