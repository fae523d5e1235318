import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

const PRINCIPAL = /^[^/*\s]+\/ns\/[^/*\s]+\/sa\/[^/*\s]+$/;

/** Why a principal is not in Istio's `<trust-domain>/ns/<ns>/sa/<sa>` form (with * at an end), or undefined. */
export function principalError(value: string): string | undefined {
  if (value.startsWith('spiffe://'))
    return 'drop the "spiffe://" prefix: AuthorizationPolicy principals are <trust-domain>/ns/<namespace>/sa/<service-account>';
  if (value === '*') return undefined;
  const inner = value.replace(/^\*/, '').replace(/\*$/, '');
  if (inner.includes('*')) return '"*" is allowed only at the start or the end';
  if (value.includes('*')) return undefined;
  return PRINCIPAL.test(value)
    ? undefined
    : 'expected <trust-domain>/ns/<namespace>/sa/<service-account>, e.g. cluster.local/ns/shop/sa/checkout';
}

export const principalFormatChecker = defineChecker(
  {
    code: 'HM3005',
    severity: 'error',
    area: 'security',
    title: 'Invalid principal',
    meaning:
      'Principals are written <trust-domain>/ns/<namespace>/sa/<service-account>, without spiffe://, with "*" only at the start or end.',
  },
  eachPolicy('AccessControl', (p) => {
    const out: FindingDraft[] = [];
    (p.spec.from?.principals ?? []).forEach((value, i) => {
      const error = principalError(value);
      if (error) out.push(at(p, ['spec', 'from', 'principals', i], `"${value}": ${error}`));
    });
    return out;
  }),
);
