import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const selectorContradictionChecker = defineChecker(
  {
    code: 'HM2009',
    severity: 'error',
    area: 'destination',
    title: 'Version labels contradict the service selector',
    meaning:
      "A version's labels give a selector key a different value than the Service does, so the subset can never contain a pod of the service.",
  },
  ({ unit }) => {
    const selector = unit.service.selector;
    if (!selector) return [];
    const out: FindingDraft[] = [];
    unit.service.versions.forEach((v, i) => {
      for (const [key, value] of Object.entries(v.labels))
        if (selector[key] !== undefined && selector[key] !== value)
          out.push({
            message: `version ${v.name} has ${key}=${value} but the service selects ${key}=${selector[key]}`,
            path: ['services', unit.serviceIndex, 'versions', i, 'labels', key],
          });
    });
    return out;
  },
);
