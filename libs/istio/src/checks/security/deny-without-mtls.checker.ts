import { at, defineChecker, eachPolicy } from '../check.types.js';
import { identityLists } from './identity.util.js';

export const denyWithoutMtlsChecker = defineChecker(
  {
    code: 'HM3002',
    severity: 'error',
    area: 'security',
    title: 'DENY by identity without STRICT mTLS',
    meaning:
      'principals and namespaces come from the mTLS peer certificate. Unless the namespace enforces STRICT mTLS, a plaintext caller has no identity and is not denied: the black list can be bypassed.',
  },
  eachPolicy('AccessControl', (p, ctx) => {
    if (p.spec.action !== 'DENY') return [];
    const mode = ctx.index.mtls(ctx.unit.service.namespace);
    if (mode === 'STRICT') return [];
    return identityLists(p).map((list) =>
      at(
        p,
        ['spec', 'from', list],
        `namespace ${ctx.unit.service.namespace} is ${mode}: plaintext callers have no identity and escape this DENY; enforce STRICT mTLS or deny by ipBlocks`,
      ),
    );
  }),
);
