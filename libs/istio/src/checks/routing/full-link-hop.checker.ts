import { serviceKey } from '../../snapshot/snapshot-index.util.js';
import { at, defineChecker, eachPolicy } from '../check.types.js';

export const fullLinkHopChecker = defineChecker(
  {
    code: 'HM1021',
    severity: 'error',
    area: 'routing',
    title: 'Full-link service not found',
    meaning:
      'A full-link RequestRouting lists a downstream service that is not in the mesh, or the entry service itself.',
  },
  eachPolicy('RequestRouting', (p, ctx) =>
    (p.spec.fullLink?.services ?? []).flatMap((hop, i) => {
      const namespace = hop.namespace ?? p.target.namespace;
      if (namespace === p.target.namespace && hop.service === p.target.service)
        return [
          at(
            p,
            ['spec', 'fullLink', 'services', i],
            'the entry service is routed by the rules themselves; list only downstream services',
          ),
        ];
      return ctx.index.services.has(serviceKey(namespace, hop.service))
        ? []
        : [
            at(
              p,
              ['spec', 'fullLink', 'services', i, 'service'],
              `service ${namespace}/${hop.service} is not in the mesh`,
            ),
          ];
    }),
  ),
);
