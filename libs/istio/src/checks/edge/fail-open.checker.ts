import { at, defineChecker, eachPolicy } from '../check.types.js';

export const failOpenChecker = defineChecker(
  {
    code: 'HM4106',
    severity: 'warning',
    area: 'edge',
    title: 'Security plugin fails open',
    meaning:
      'An AUTHN or AUTHZ plugin with FAIL_OPEN lets every request through when the module cannot be fetched or crashes.',
  },
  eachPolicy('Plugin', (p) =>
    p.spec.failStrategy === 'FAIL_OPEN' && (p.spec.phase === 'AUTHN' || p.spec.phase === 'AUTHZ')
      ? [
          at(
            p,
            ['spec', 'failStrategy'],
            `an ${p.spec.phase} plugin that fails open skips its check when it fails; use FAIL_CLOSE`,
          ),
        ]
      : [],
  ),
);
