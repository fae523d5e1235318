import { HeliomeshError } from '@heliomesh/util';
import type { Pos } from './template-ast.types.js';

export type TemplateErrorCode =
  | 'TEMPLATE_PARSE_ERROR'
  | 'TEMPLATE_EXEC_ERROR'
  /** `required` or `fail` stopped the render: the message is the chart author's, for the user. */
  | 'TEMPLATE_FAIL';

/**
 * A template that cannot be parsed or executed. Messages follow Go's text/template format
 * (`template: NAME:LINE: ...`) so they read like the errors `helm template` prints.
 */
export class TemplateError extends HeliomeshError {
  readonly file: string;
  readonly line: number;

  constructor(code: TemplateErrorCode, message: string, pos: Pos | null) {
    super({ code, status: 422, message, path: pos ? ['templates', pos.file] : [] });
    this.name = 'TemplateError';
    this.file = pos?.file ?? '';
    this.line = pos?.line ?? 0;
  }

  static parse(pos: Pos, message: string): TemplateError {
    return new TemplateError('TEMPLATE_PARSE_ERROR', `template: ${pos.file}:${pos.line}: ${message}`, pos);
  }

  static exec(pos: Pos, executing: string, src: string, message: string): TemplateError {
    return new TemplateError(
      'TEMPLATE_EXEC_ERROR',
      `template: ${pos.file}:${pos.line}:${pos.col}: executing "${executing}" at <${src}>: ${message}`,
      pos,
    );
  }

  /** Helm's wording for `required` and `fail`, which it strips of Go's noise. */
  static fail(pos: Pos, message: string): TemplateError {
    return new TemplateError(
      'TEMPLATE_FAIL',
      `execution error at (${pos.file}:${pos.line}:${pos.col}): ${message}`,
      pos,
    );
  }
}

/** Thrown by template functions; the executor adds the position and the failing node. */
export class FunctionError extends Error {
  /** True for `required`/`fail`, whose message goes to the user unchanged. */
  readonly userFacing: boolean;

  constructor(message: string, userFacing = false) {
    super(message);
    this.name = 'FunctionError';
    this.userFacing = userFacing;
  }
}
