import { at, defineChecker, eachPolicy } from '../check.types.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

export const httpMethodChecker = defineChecker(
  {
    code: 'HM3008',
    severity: 'warning',
    area: 'security',
    title: 'Unknown HTTP method',
    meaning:
      'to.methods lists something that is not an HTTP method (methods are uppercase: GET, POST, ...), so the rule never matches it.',
  },
  eachPolicy('AccessControl', (p) =>
    (p.spec.to?.methods ?? []).flatMap((m, i) =>
      METHODS.has(m) || m === '*'
        ? []
        : [
            at(
              p,
              ['spec', 'to', 'methods', i],
              `"${m}" is not an HTTP method${METHODS.has(m.toUpperCase()) ? ` (use "${m.toUpperCase()}")` : ''}`,
            ),
          ],
    ),
  ),
);
