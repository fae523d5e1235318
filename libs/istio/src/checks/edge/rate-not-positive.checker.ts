import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const rateNotPositiveChecker = defineChecker(
  {
    code: 'HM4003',
    severity: 'error',
    area: 'edge',
    title: 'Rate or burst not positive',
    meaning:
      'A rate limit needs at least 1 request per unit and a burst of at least 1; to block a service use an AccessControl DENY.',
  },
  eachPolicy('RateLimit', (p) => {
    const out: FindingDraft[] = [];
    if (p.spec.requests < 1)
      out.push(at(p, ['spec', 'requests'], `requests ${p.spec.requests} must be 1 or more`));
    if (p.spec.burst !== undefined && p.spec.burst < 1)
      out.push(at(p, ['spec', 'burst'], `burst ${p.spec.burst} must be 1 or more`));
    return out;
  }),
);
