import { at, defineChecker, eachPolicy } from '../check.types.js';

export const perReplicaChecker = defineChecker(
  {
    code: 'HM4002',
    severity: 'info',
    area: 'edge',
    title: 'A local rate limit is per replica',
    meaning:
      "Each pod's proxy keeps its own token bucket, so a service with N pods admits up to N times the limit in total.",
  },
  eachPolicy('RateLimit', (p, ctx) => {
    const pods = ctx.unit.service.versions.reduce((a, v) => a + Math.max(0, v.pods), 0);
    const { requests, unit } = p.spec;
    return [
      at(
        p,
        ['spec', 'requests'],
        `the limit is per pod: ${pods} pod(s) admit up to ${pods * requests} requests per ${unit} in total`,
      ),
    ];
  }),
);
