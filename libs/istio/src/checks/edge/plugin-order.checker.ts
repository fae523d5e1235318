import { at, defineChecker, policiesOf } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const pluginOrderChecker = defineChecker(
  {
    code: 'HM4105',
    severity: 'warning',
    area: 'edge',
    title: 'Two plugins with the same phase and priority',
    meaning:
      'Within a phase, plugins run by descending priority; two with equal priority run in an order Istio does not define.',
  },
  (ctx) => {
    const seen = new Map<string, string>();
    const out: FindingDraft[] = [];
    for (const p of policiesOf(ctx, 'Plugin')) {
      const key = `${p.spec.phase ?? 'UNSPECIFIED_PHASE'}|${p.spec.priority ?? 'unset'}`;
      const other = seen.get(key);
      if (other === undefined) seen.set(key, p.id);
      else
        out.push({
          ...at(
            p,
            ['spec', 'priority'],
            `same phase and priority as plugin ${other}; their order is undefined, give them different priorities`,
          ),
          policyIds: [p.id, other],
        });
    }
    return out;
  },
);
