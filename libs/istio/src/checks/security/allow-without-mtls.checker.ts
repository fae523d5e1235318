import { at, defineChecker, eachPolicy } from '../check.types.js';
import { identityLists } from './identity.util.js';

export const allowWithoutMtlsChecker = defineChecker(
  {
    code: 'HM3003',
    severity: 'warning',
    area: 'security',
    title: 'ALLOW by identity without STRICT mTLS',
    meaning:
      'principals and namespaces need mTLS. Without STRICT mTLS, plaintext callers have no identity, match no ALLOW rule and are denied.',
  },
  eachPolicy('AccessControl', (p, ctx) => {
    if (p.spec.action !== 'ALLOW') return [];
    const mode = ctx.index.mtls(ctx.unit.service.namespace);
    if (mode === 'STRICT') return [];
    return identityLists(p).map((list) =>
      at(
        p,
        ['spec', 'from', list],
        `namespace ${ctx.unit.service.namespace} is ${mode}: plaintext callers have no identity and will be denied`,
      ),
    );
  }),
);
