import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const ejectionPercentChecker = defineChecker(
  {
    code: 'HM2006',
    severity: 'error',
    area: 'destination',
    title: 'Outlier detection value out of range',
    meaning:
      'maxEjectionPercent and minHealthPercent are percentages from 0 to 100; error counts cannot be negative.',
  },
  eachPolicy('CircuitBreaker', (p) => {
    const od = p.spec.outlierDetection;
    if (!od) return [];
    const out: FindingDraft[] = [];
    for (const field of ['maxEjectionPercent', 'minHealthPercent'] as const) {
      const v = od[field];
      if (v !== undefined && (v < 0 || v > 100))
        out.push(at(p, ['spec', 'outlierDetection', field], `${field} ${v} is outside 0 to 100`));
    }
    for (const field of ['consecutive5xxErrors', 'consecutiveGatewayErrors'] as const) {
      const v = od[field];
      if (v !== undefined && v < 0)
        out.push(at(p, ['spec', 'outlierDetection', field], `${field} ${v} is negative`));
    }
    return out;
  }),
);
