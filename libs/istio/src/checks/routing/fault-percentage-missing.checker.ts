import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const faultPercentageMissingChecker = defineChecker(
  {
    code: 'HM1009',
    severity: 'warning',
    area: 'routing',
    title: 'Fault percentage missing',
    meaning:
      'A delay or abort without a percentage is never injected (Istio treats a missing percentage as 0%). Give the share of requests to affect.',
  },
  eachPolicy('FaultInjection', (p) => {
    const out: FindingDraft[] = [];
    for (const kind of ['delay', 'abort'] as const)
      if (p.spec[kind] && p.spec[kind].percentage === undefined)
        out.push(
          at(
            p,
            ['spec', kind, 'percentage'],
            `${kind} has no percentage, so Istio never injects it; set e.g. percentage: 100`,
          ),
        );
    return out;
  }),
);
