import { badRequest } from '../api/status.util.js';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Splits on separators that are not escaped with a backslash. */
function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === '\\' && i + 1 < input.length) {
      cur += ch + input[i + 1];
      i++;
      continue;
    }
    if (ch === sep) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}

function unescapeValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\') {
      if (ch === ',' || ch === '=') throw badRequest(`invalid field selector: unescaped ${ch}`);
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next === '\\' || next === ',' || next === '=') {
      out += next;
      i++;
      continue;
    }
    throw badRequest(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
  }
  return out;
}

/** Finds the first operator, scanning left to right and skipping escaped characters. */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    const ch = term[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '!' && term[i + 1] === '=')
      return { field: term.slice(0, i), op: '!=', value: unescapeValue(term.slice(i + 2)) };
    if (ch === '=') {
      const double = term[i + 1] === '=';
      return { field: term.slice(0, i), op: '=', value: unescapeValue(term.slice(i + (double ? 2 : 1))) };
    }
  }
  return undefined;
}

/** Parses a `fieldSelector` query value (`f=v`, `f==v`, `f!=v`, comma-joined, backslash escapes). */
export function parseFieldSelector(input: string): FieldSelector {
  const out: FieldSelector = [];
  for (const term of splitUnescaped(input, ',')) {
    if (term === '') continue;
    const req = splitTerm(term);
    if (!req) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    out.push(req);
  }
  return out;
}

export function matchesFields(
  selector: FieldSelector,
  fields: (name: string) => string | undefined,
): boolean {
  for (const req of selector) {
    const value = fields(req.field) ?? '';
    if (req.op === '=' ? value !== req.value : value === req.value) return false;
  }
  return true;
}

/** Escapes a value so that parseFieldSelector reads it back verbatim. */
export function escapeFieldValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}
