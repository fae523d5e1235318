import { badRequest } from '../api/status.util.js';

/** One requirement of a label selector (apimachinery labels.Requirement). */
export type LabelOperator = 'exists' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

const specialChars = new Set(['=', '!', '(', ')', ',', '>', '<']);
const nameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Token =
  | { t: 'id'; v: string }
  | { t: 'op'; v: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' }
  | { t: 'end' };

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (specialChars.has(ch)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        out.push({ t: 'op', v: two });
        i += 2;
      } else {
        out.push({ t: 'op', v: ch as '=' | '!' | '(' | ')' | ',' | '>' | '<' });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !specialChars.has(input[j]!) && !/\s/.test(input[j]!)) j++;
    out.push({ t: 'id', v: input.slice(i, j) });
    i = j;
  }
  out.push({ t: 'end' });
  return out;
}

function describe(tok: Token): string {
  return tok.t === 'end' ? '' : tok.v;
}

function parseError(detail: string): Error {
  return badRequest(`unable to parse requirement: ${detail}`);
}

/** Validates a label key: an optional DNS subdomain prefix and a name of at most 63 characters. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dnsSubdomainRe.test(prefix)))
    return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!nameRe.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** Validates a label value: empty, or at most 63 characters of the label-name alphabet. */
export function labelValueError(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!nameRe.test(value))
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.pos]!;
  }

  private next(): Token {
    return this.toks[this.pos++]!;
  }

  parse(): LabelSelector {
    const out: LabelSelector = [];
    if (this.peek().t === 'end') return out;
    for (;;) {
      out.push(this.requirement());
      const tok = this.next();
      if (tok.t === 'end') return out;
      if (!(tok.t === 'op' && tok.v === ','))
        throw parseError(`found '${describe(tok)}', expected: ',' or 'end of string'`);
      if (this.peek().t === 'end') throw parseError("found '', expected: !, identifier, or 'end of string'");
    }
  }

  private requirement(): LabelRequirement {
    let tok = this.next();
    if (tok.t === 'op' && tok.v === '!') {
      tok = this.next();
      if (tok.t !== 'id') throw parseError(`found '${describe(tok)}', expected: identifier after '!'`);
      return this.validated({ key: tok.v, op: '!', values: [] });
    }
    if (tok.t !== 'id')
      throw parseError(`found '${describe(tok)}', expected: !, identifier, or 'end of string'`);
    const key = tok.v;
    const opTok = this.peek();
    if (opTok.t === 'end' || (opTok.t === 'op' && opTok.v === ','))
      return this.validated({ key, op: 'exists', values: [] });
    this.next();
    if (opTok.t === 'id' && (opTok.v === 'in' || opTok.v === 'notin')) {
      return this.validated({ key, op: opTok.v, values: this.valueSet() });
    }
    if (opTok.t === 'op' && ['=', '==', '!=', '>', '<'].includes(opTok.v)) {
      const op: LabelOperator =
        opTok.v === '>' ? 'gt' : opTok.v === '<' ? 'lt' : (opTok.v as '=' | '==' | '!=');
      const val = this.peek();
      const value = val.t === 'id' ? (this.next(), val.v) : '';
      if (val.t === 'op' && val.v !== ',') throw parseError(`found '${val.v}', expected: identifier`);
      return this.validated({ key, op, values: [value] });
    }
    throw parseError(`found '${describe(opTok)}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (!(open.t === 'op' && open.v === '(')) throw parseError(`found '${describe(open)}', expected: '('`);
    const values: string[] = [];
    for (;;) {
      const tok = this.next();
      if (tok.t === 'id') {
        values.push(tok.v);
        const sep = this.next();
        if (sep.t === 'op' && sep.v === ')') return values;
        if (!(sep.t === 'op' && sep.v === ','))
          throw parseError(`found '${describe(sep)}', expected: ',' or ')'`);
        continue;
      }
      if (tok.t === 'op' && tok.v === ')') return values;
      if (tok.t === 'op' && tok.v === ',') {
        values.push('');
        continue;
      }
      throw parseError(`found '${describe(tok)}', expected: ',', ')' or identifier`);
    }
  }

  private validated(req: LabelRequirement): LabelRequirement {
    const keyErr = labelKeyError(req.key);
    if (keyErr) throw parseError(`key: Invalid value: "${req.key}": ${keyErr}`);
    if ((req.op === 'in' || req.op === 'notin') && req.values.length === 0)
      throw parseError("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
    if (req.op === 'gt' || req.op === 'lt') {
      if (!/^-?\d+$/.test(req.values[0]!))
        throw parseError(
          `values[0]: Invalid value: "${req.values[0]}": for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      return req;
    }
    for (const [i, v] of req.values.entries()) {
      const err = labelValueError(v);
      if (err) throw parseError(`values[${i}][${req.key}]: Invalid value: "${v}": ${err}`);
    }
    return req;
  }
}

/** Parses a `labelSelector` query value; throws a 400 Status error when it is malformed. */
export function parseLabelSelector(input: string): LabelSelector {
  return new Parser(lex(input)).parse();
}

export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const req of selector) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels[req.key]! : undefined;
    switch (req.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case '=':
      case '==':
      case 'in':
        if (!has || !req.values.includes(value!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && req.values.includes(value!)) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value!)) return false;
        const n = Number(value);
        const bound = Number(req.values[0]);
        if (req.op === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

/** Renders a selector back to its canonical string (used in tests and in messages). */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        case '=':
        case '==':
        case '!=':
          return `${r.key}${r.op}${r.values[0]}`;
      }
    })
    .join(',');
}

/** Converts a metav1.LabelSelector object (matchLabels + matchExpressions) into requirements. */
export function fromLabelSelectorObject(sel: unknown): LabelSelector | undefined {
  if (typeof sel !== 'object' || sel === null) return undefined;
  const s = sel as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const out: LabelSelector = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) out.push({ key: k, op: '=', values: [v] });
  for (const e of s.matchExpressions ?? []) {
    const op: LabelOperator | undefined =
      e.operator === 'In'
        ? 'in'
        : e.operator === 'NotIn'
          ? 'notin'
          : e.operator === 'Exists'
            ? 'exists'
            : e.operator === 'DoesNotExist'
              ? '!'
              : undefined;
    if (op) out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}
