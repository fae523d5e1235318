import { generatedName } from '../../emit/object-meta.util.js';
import { objectKey } from '../../snapshot/snapshot-index.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

const EDGE_KIND = {
  AccessControl: 'AuthorizationPolicy',
  RateLimit: 'EnvoyFilter',
  Plugin: 'WasmPlugin',
} as const;

export const generatedNameTakenChecker = defineChecker(
  {
    code: 'HM0005',
    severity: 'error',
    area: 'mesh',
    title: 'Generated name taken by a foreign object',
    meaning:
      'An object Heliomesh would create (heliomesh-<service> or heliomesh-<policy>) already exists and is not managed by Heliomesh. Applying would take it over, so nothing is generated for the host.',
  },
  ({ unit, index, policies }) => {
    const { namespace, name } = unit.service;
    const wanted: Array<{ kind: string; name: string; policyId?: string }> = [
      { kind: 'VirtualService', name: generatedName(name) },
      { kind: 'DestinationRule', name: generatedName(name) },
    ];
    for (const p of policies)
      if (p.kind === 'AccessControl' || p.kind === 'RateLimit' || p.kind === 'Plugin')
        wanted.push({ kind: EDGE_KIND[p.kind], name: generatedName(p.name), policyId: p.id });
    const out: FindingDraft[] = [];
    for (const w of wanted)
      if (index.foreignByName.has(objectKey(w.kind, namespace, w.name)))
        out.push({
          message: `${w.kind} ${namespace}/${w.name} exists and is not managed by Heliomesh; rename or delete it`,
          path: ['metadata', 'name'],
          object: `${w.kind} ${namespace}/${w.name}`,
          ...(w.policyId ? { policyIds: [w.policyId] } : {}),
        });
    return out;
  },
);
