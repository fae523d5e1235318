import type { ParsedTemplate } from './template-ast.types.js';
import type { TemplateFunction } from './go-value.util.js';

export interface ExecEnv {
  lookup(name: string): ParsedTemplate | undefined;
  fn(name: string): TemplateFunction | undefined;
  /** A copy of the set with `text` parsed as a template named `name` (for Helm's `tpl`). */
  withParsed(name: string, text: string): { env: ExecEnv; main: ParsedTemplate };
}

/**
 * Nested template calls allowed. Helm stops `include` recursion at 1000 and Go at 100000; a
 * JavaScript stack holds fewer, and charts nest a handful of helpers, so runaway recursion
 * stops here at 100 with Helm's message.
 */
export const MAX_TEMPLATE_DEPTH = 100;
