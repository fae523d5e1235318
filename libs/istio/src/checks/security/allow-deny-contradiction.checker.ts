import { canonicalJson } from '@heliomesh/util';
import { at, defineChecker, policiesOf } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';
import { cidrContains } from '../cidr.util.js';

const LISTS = ['ipBlocks', 'remoteIpBlocks', 'namespaces', 'principals'] as const;

export const allowDenyContradictionChecker = defineChecker(
  {
    code: 'HM3004',
    severity: 'error',
    area: 'security',
    title: 'ALLOW and DENY lists contradict',
    meaning:
      'A caller is on both a white list (ALLOW) and a black list (DENY) of the service for the same requests. DENY is evaluated first, so the ALLOW entry is dead; remove it from one list.',
  },
  (ctx) => {
    const allows = policiesOf(ctx, 'AccessControl').filter((p) => p.spec.action === 'ALLOW');
    const denies = policiesOf(ctx, 'AccessControl').filter((p) => p.spec.action === 'DENY');
    const out: FindingDraft[] = [];
    for (const deny of denies)
      for (const allow of allows) {
        // A DENY narrowed to other operations or headers does not contradict the ALLOW.
        if (
          canonicalJson([deny.spec.to, deny.spec.headers]) !==
          canonicalJson([allow.spec.to, allow.spec.headers])
        )
          continue;
        for (const list of LISTS)
          (allow.spec.from?.[list] ?? []).forEach((entry, i) => {
            const hit = (deny.spec.from?.[list] ?? []).find(
              (d) => d === entry || (list.endsWith('pBlocks') && cidrContains(d, entry)),
            );
            if (hit === undefined) return;
            out.push({
              ...at(
                allow,
                ['spec', 'from', list, i],
                `${entry} is allowed by ${allow.name} but denied by ${deny.name} (${hit}); DENY wins`,
              ),
              policyIds: [allow.id, deny.id],
            });
          });
      }
    return out;
  },
);
