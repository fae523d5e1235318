import { workloadSelector } from '../../emit/workload.util.js';
import { defineChecker } from '../check.types.js';

export const noSelectorChecker = defineChecker(
  {
    code: 'HM4005',
    severity: 'error',
    area: 'edge',
    title: "No labels to select the service's pods",
    meaning:
      "AccessControl, RateLimit and Plugin attach to the service's pods by label. The service has no selector and its versions share no label, and an empty selector would apply the object to the whole namespace.",
  },
  ({ unit, policies }) => {
    const edge = policies.filter(
      (p) => p.kind === 'AccessControl' || p.kind === 'RateLimit' || p.kind === 'Plugin',
    );
    if (edge.length === 0 || Object.keys(workloadSelector(unit.service)).length > 0) return [];
    return edge.map((p) => ({
      message: `service ${unit.service.name} has no selector and its versions share no label, so ${p.kind} ${p.name} cannot be attached to its pods`,
      path: ['target', 'service'],
      policyIds: [p.id],
    }));
  },
);
