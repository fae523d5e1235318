import { at, defineChecker, policiesOf } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const rateLimitConflictChecker = defineChecker(
  {
    code: 'HM5003',
    severity: 'error',
    area: 'conflict',
    title: 'Two rate limits on one service port',
    meaning:
      'A service port has one inbound route, and its local rate limit has one configuration, so a second RateLimit on the same port would replace the first. Keep one RateLimit per service port.',
  },
  (ctx) => {
    const limits = policiesOf(ctx, 'RateLimit');
    const out: FindingDraft[] = [];
    for (let i = 0; i < limits.length; i++)
      for (let j = 0; j < i; j++) {
        const a = limits[i]!;
        const b = limits[j]!;
        const samePort =
          a.target.port === undefined || b.target.port === undefined || a.target.port === b.target.port;
        if (samePort)
          out.push({
            ...at(
              a,
              ['target'],
              `RateLimit "${a.name}" and RateLimit "${b.name}" both limit ${ctx.unit.service.name}${a.target.port ? ` port ${a.target.port}` : ''}; keep one`,
            ),
            policyIds: [a.id, b.id],
          });
      }
    return out;
  },
);
