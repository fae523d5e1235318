import { at, defineChecker, eachPolicy } from '../check.types.js';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const namespaceNameChecker = defineChecker(
  {
    code: 'HM3010',
    severity: 'error',
    area: 'security',
    title: 'Invalid namespace in an access list',
    meaning:
      'from.namespaces takes namespace names (DNS-1123 labels), optionally with "*" at the start or end.',
  },
  eachPolicy('AccessControl', (p) =>
    (p.spec.from?.namespaces ?? []).flatMap((ns, i) => {
      if (ns === '*') return [];
      const inner = ns.replace(/^\*/, '').replace(/\*$/, '');
      const ok =
        inner.length > 0 &&
        inner.length <= 63 &&
        (ns.includes('*') ? /^[-a-z0-9]+$/.test(inner) : NAMESPACE.test(inner));
      return ok ? [] : [at(p, ['spec', 'from', 'namespaces', i], `"${ns}" is not a namespace name`)];
    }),
  ),
);
