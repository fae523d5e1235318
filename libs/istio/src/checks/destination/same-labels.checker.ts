import { canonicalJson } from '@heliomesh/util';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const sameLabelsChecker = defineChecker(
  {
    code: 'HM2003',
    severity: 'warning',
    area: 'destination',
    title: 'Two versions with the same labels',
    meaning: 'Two versions select the same pods, so a split between them is not a split between versions.',
  },
  ({ unit }) => {
    const seen = new Map<string, string>();
    const out: FindingDraft[] = [];
    unit.service.versions.forEach((v, i) => {
      const key = canonicalJson(v.labels);
      const other = seen.get(key);
      if (other !== undefined)
        out.push({
          message: `versions ${other} and ${v.name} have the same labels ${key}`,
          path: ['services', unit.serviceIndex, 'versions', i, 'labels'],
        });
      else seen.set(key, v.name);
    });
    return out;
  },
);
