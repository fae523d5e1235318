import type { JsonPath } from '@heliomesh/util';

/** One reason istiod would reject an object, at a JSON path inside `spec`. */
export interface SpecProblem {
  path: JsonPath;
  message: string;
}

/** A check for one rule (Kiali style: one checker per rule). */
export type SpecCheck<T> = (spec: T, namespace: string) => SpecProblem[];

export function runChecks<T>(checks: ReadonlyArray<SpecCheck<T>>, spec: T, namespace: string): SpecProblem[] {
  return checks.flatMap((check) => check(spec, namespace));
}

/** istio-semantics §1.6/§1.7: a percentage is 0 or in [0.0001, 100]. */
export function percentProblem(value: number | undefined, path: JsonPath, allowTiny = false): SpecProblem[] {
  if (value === undefined) return [];
  if (value < 0 || value > 100) return [{ path, message: 'percentage must be between 0 and 100' }];
  if (!allowTiny && value !== 0 && value < 0.0001)
    return [{ path, message: 'percentage must be 0 or at least 0.0001' }];
  return [];
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** exportTo: `.`, `*` or namespace names; `*` combined with anything else, or duplicates, is rejected (§1.1). */
export function exportToProblems(exportTo: string[] | undefined): SpecProblem[] {
  if (!exportTo) return [];
  const problems: SpecProblem[] = [];
  const seen = new Set<string>();
  exportTo.forEach((value, i) => {
    if (seen.has(value))
      problems.push({ path: ['exportTo', i], message: `duplicate exportTo entry ${value}` });
    seen.add(value);
    if (value !== '.' && value !== '*' && !DNS_LABEL.test(value)) {
      problems.push({ path: ['exportTo', i], message: 'exportTo entries are ".", "*" or a namespace name' });
    }
  });
  if (seen.has('*') && exportTo.length > 1) {
    problems.push({ path: ['exportTo'], message: '"*" cannot be combined with other exportTo entries' });
  }
  return problems;
}
