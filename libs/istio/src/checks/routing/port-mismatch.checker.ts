import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const portMismatchChecker = defineChecker(
  {
    code: 'HM1024',
    severity: 'error',
    area: 'routing',
    title: 'target.port and match port differ',
    meaning:
      'A policy names one port in target.port and another in a match; no request can be on both ports.',
  },
  ({ policies }) => {
    const out: FindingDraft[] = [];
    for (const p of policies) {
      const port = p.target.port;
      if (port === undefined) continue;
      const check = (matchPort: number | undefined, path: (string | number)[]) => {
        if (matchPort !== undefined && matchPort !== port)
          out.push({
            message: `target.port is ${port} but the match says port ${matchPort}`,
            path,
            policyIds: [p.id],
          });
      };
      check(p.target.match?.port, ['target', 'match', 'port']);
      if (p.kind === 'RequestRouting')
        p.spec.rules.forEach((r, i) => check(r.match.port, ['spec', 'rules', i, 'match', 'port']));
    }
    return out;
  },
);
