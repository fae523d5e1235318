import type { JsonPath } from '@heliomesh/util';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

/** Istio sends percentages to Envoy in millionths: 0, or 0.0001 to 100. */
export function percentageError(value: number, what: string): string | undefined {
  if (!Number.isFinite(value) || value < 0 || value > 100)
    return `${what} percentage ${value} is outside 0 to 100`;
  if (value > 0 && value < 0.0001) return `${what} percentage ${value} is below Envoy's resolution of 0.0001`;
  return undefined;
}

export const percentageRangeChecker = defineChecker(
  {
    code: 'HM1008',
    severity: 'error',
    area: 'routing',
    title: 'Percentage outside 0–100',
    meaning:
      "A fault, mirror or rollout mirror percentage is below 0, above 100, or a positive value below 0.0001 (Envoy's resolution).",
  },
  ({ policies, unit }) => {
    const out: FindingDraft[] = [];
    const check = (
      value: number | undefined,
      what: string,
      path: JsonPath,
      owner: Pick<FindingDraft, 'policyIds' | 'rolloutId'>,
    ) => {
      const error = value === undefined ? undefined : percentageError(value, what);
      if (error) out.push({ message: error, path, ...owner });
    };
    for (const p of policies) {
      const owner = { policyIds: [p.id] };
      if (p.kind === 'FaultInjection') {
        check(p.spec.delay?.percentage, 'delay', ['spec', 'delay', 'percentage'], owner);
        check(p.spec.abort?.percentage, 'abort', ['spec', 'abort', 'percentage'], owner);
      }
      if (p.kind === 'TrafficMirror') check(p.spec.percentage, 'mirror', ['spec', 'percentage'], owner);
    }
    for (const r of unit.rollouts)
      check(r.mirrorPercent, 'mirror', ['mirrorPercent'], { rolloutId: r.rolloutId });
    return out;
  },
);
