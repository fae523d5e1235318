import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const unknownPortChecker = defineChecker(
  {
    code: 'HM0011',
    severity: 'error',
    area: 'mesh',
    title: 'Port not exposed by the service',
    meaning:
      'target.port (or a match port) names a port the Service does not expose, so the rule would never apply.',
  },
  ({ unit, policies }) => {
    const ports = new Set(unit.service.ports.map((p) => p.port));
    const out: FindingDraft[] = [];
    const known = (p: number) => ports.has(p);
    for (const p of policies) {
      if (p.target.port !== undefined && !known(p.target.port))
        out.push({
          message: `service ${unit.service.name} has no port ${p.target.port} (ports: ${[...ports].join(', ') || 'none'})`,
          path: ['target', 'port'],
          policyIds: [p.id],
        });
      if (p.target.match?.port !== undefined && !known(p.target.match.port))
        out.push({
          message: `service ${unit.service.name} has no port ${p.target.match.port}`,
          path: ['target', 'match', 'port'],
          policyIds: [p.id],
        });
      if (p.kind === 'RequestRouting')
        p.spec.rules.forEach((r, i) => {
          if (r.match.port !== undefined && !known(r.match.port))
            out.push({
              message: `service ${unit.service.name} has no port ${r.match.port}`,
              path: ['spec', 'rules', i, 'match', 'port'],
              policyIds: [p.id],
            });
        });
    }
    return out;
  },
);
