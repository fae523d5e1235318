import { HeliomeshError, assertUnreachable, type JsonPath } from '@heliomesh/util';
import { quoteRegex } from './label-matcher.util.js';

/**
 * Custom PromQL templates: `{{ name }}` placeholders filled from a map of variables. Values are
 * escaped for where they land, so no variable value can change the query's shape:
 *
 * - inside a `"..."` or `'...'` string: string-escaped; after `=~`/`!~` also regex-quoted, so a
 *   name matches itself only;
 * - inside a `` `...` `` raw string: copied, and refused if it holds a backquote;
 * - outside any string (e.g. `[{{ interval }}]`): only `[A-Za-z0-9_:.]+` is accepted.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/y;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const BARE_VALUE = /^[A-Za-z0-9_:.]+$/;

type Context = { kind: 'code' } | { kind: 'string'; quote: '"' | "'"; regex: boolean } | { kind: 'raw' };

function templateError(code: string, message: string, path: JsonPath): HeliomeshError {
  return new HeliomeshError({ code, status: 400, message, path });
}

/** The placeholder names a template uses, in order of first use (for validation at save time). */
export function templateVariableNames(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) names.add(m[1]!);
  return [...names];
}

function escapeInString(value: string, quote: '"' | "'"): string | undefined {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) return undefined;
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out;
}

function renderValue(name: string, value: string, ctx: Context, path: JsonPath): string {
  const unsafe = (why: string) =>
    templateError(
      'PROMQL_TEMPLATE_UNSAFE_VALUE',
      `The value of {{ ${name} }} (${JSON.stringify(value)}) ${why}.`,
      path,
    );
  switch (ctx.kind) {
    case 'code':
      if (!BARE_VALUE.test(value)) {
        throw unsafe(
          'cannot stand outside a quoted string; put the placeholder inside quotes, e.g. label="{{ ' +
            name +
            ' }}"',
        );
      }
      return value;
    case 'raw':
      if (value.includes('`')) throw unsafe('contains a backquote, which a raw string cannot hold');
      return value;
    case 'string': {
      const escaped = escapeInString(ctx.regex ? quoteRegex(value) : value, ctx.quote);
      if (escaped === undefined) throw unsafe('is not valid Unicode');
      return escaped;
    }
    default:
      return assertUnreachable(ctx, 'template context');
  }
}

/** The context a string opened at `i` is in: after `=~` or `!~` it is a regex. */
function openString(template: string, i: number, quote: string): Context {
  if (quote === '`') return { kind: 'raw' };
  let j = i - 1;
  while (j >= 0 && /\s/.test(template[j]!)) j--;
  const regex = template[j] === '~' && (template[j - 1] === '=' || template[j - 1] === '!');
  return { kind: 'string', quote: quote as '"' | "'", regex };
}

/**
 * Fills a template. Throws `HeliomeshError` (400) with code `PROMQL_TEMPLATE_UNKNOWN_VARIABLE`
 * for a placeholder that is not in `variables`, `PROMQL_TEMPLATE_SYNTAX` for a malformed
 * placeholder or an unterminated string, and `PROMQL_TEMPLATE_UNSAFE_VALUE` for a value that
 * cannot be placed safely where its placeholder stands. `path` points errors at the template.
 */
export function renderPromqlTemplate(
  template: string,
  variables: Readonly<Record<string, string>>,
  path: JsonPath = [],
): string {
  let out = '';
  let ctx: Context = { kind: 'code' };
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === '{' && template[i + 1] === '{') {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(template);
      const name = m?.[1];
      if (!m || name === undefined || !VARIABLE_NAME.test(name)) {
        throw templateError(
          'PROMQL_TEMPLATE_SYNTAX',
          `Malformed placeholder at character ${i + 1}; write {{ name }} with a variable name.`,
          path,
        );
      }
      if (!Object.prototype.hasOwnProperty.call(variables, name)) {
        throw templateError(
          'PROMQL_TEMPLATE_UNKNOWN_VARIABLE',
          `Unknown variable {{ ${name} }}; known variables: ${Object.keys(variables).sort().join(', ')}.`,
          path,
        );
      }
      out += renderValue(name, variables[name]!, ctx, path);
      i += m[0].length;
      continue;
    }
    out += ch;
    switch (ctx.kind) {
      case 'code':
        if (ch === '"' || ch === "'" || ch === '`') ctx = openString(template, i, ch);
        break;
      case 'string':
        if (ch === '\\' && i + 1 < template.length) {
          out += template[i + 1];
          i++;
        } else if (ch === ctx.quote) ctx = { kind: 'code' };
        break;
      case 'raw':
        if (ch === '`') ctx = { kind: 'code' };
        break;
      default:
        assertUnreachable(ctx, 'template context');
    }
    i++;
  }
  if (ctx.kind !== 'code') {
    throw templateError(
      'PROMQL_TEMPLATE_SYNTAX',
      'The template ends inside a quoted string; close the string.',
      path,
    );
  }
  return out;
}
