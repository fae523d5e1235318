import { cidrError } from '../cidr.util.js';
import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const invalidCidrChecker = defineChecker(
  {
    code: 'HM3001',
    severity: 'error',
    area: 'security',
    title: 'Invalid IP block',
    meaning:
      'ipBlocks and remoteIpBlocks take IPv4/IPv6 addresses or CIDR blocks (10.0.0.0/8, 2001:db8::/32).',
  },
  eachPolicy('AccessControl', (p) => {
    const out: FindingDraft[] = [];
    for (const list of ['ipBlocks', 'remoteIpBlocks'] as const)
      (p.spec.from?.[list] ?? []).forEach((value, i) => {
        const error = cidrError(value);
        if (error) out.push(at(p, ['spec', 'from', list, i], `"${value}": ${error}`));
      });
    return out;
  }),
);
