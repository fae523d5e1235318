/** Label matchers: rendered into PromQL for Prometheus, evaluated directly by the scrape provider. */

import { assertUnreachable } from '@heliomesh/util';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/**
 * Quotes a value as a PromQL string literal. JSON's escaping (`\"`, `\\`, `\n`, `\uXXXX`) is a
 * subset of the Go escapes PromQL accepts, so no value can close the string early: a service
 * named `x"} or vector(1) #` stays one label value.
 */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** Escapes RE2 metacharacters so a value matches itself literally inside `=~`. */
export function quoteRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export function renderMatchers(matchers: readonly LabelMatcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${promqlString(m.value)}`).join(',');
}

export function renderSelector(metric: string, matchers: readonly LabelMatcher[]): string {
  return `${metric}{${renderMatchers(matchers)}}`;
}

/** A label's value, "" when absent; own properties only, so `constructor` is not a label by default. */
function labelValue(labels: Readonly<Record<string, string>>, name: string): string {
  return Object.prototype.hasOwnProperty.call(labels, name) ? labels[name]! : '';
}

export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Compiles matchers to a predicate with PromQL's semantics: a missing label reads as the empty
 * string, and regexes are fully anchored. Only our own query builders produce regex matchers
 * (never user input), so a JavaScript RegExp is safe here.
 */
export function compileMatchers(matchers: readonly LabelMatcher[]): LabelPredicate {
  const tests = matchers.map((m): LabelPredicate => {
    switch (m.op) {
      case '=':
        return (l) => labelValue(l, m.name) === m.value;
      case '!=':
        return (l) => labelValue(l, m.name) !== m.value;
      case '=~': {
        const re = new RegExp(`^(?:${m.value})$`, 's');
        return (l) => re.test(labelValue(l, m.name));
      }
      case '!~': {
        const re = new RegExp(`^(?:${m.value})$`, 's');
        return (l) => !re.test(labelValue(l, m.name));
      }
      default:
        return assertUnreachable(m.op, 'match operator');
    }
  });
  return (labels) => {
    for (const t of tests) if (!t(labels)) return false;
    return true;
  };
}
