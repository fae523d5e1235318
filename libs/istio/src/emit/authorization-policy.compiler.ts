import type { StoredPolicyOf } from '@heliomesh/policy';
import type { ClaimSource } from '../model/claims.util.js';
import type { MeshService } from '../snapshot/snapshot.types.js';
import type { AuthorizationPolicy } from './istio-objects.types.js';
import {
  explainFrom,
  explainFromService,
  generatedName,
  objectMeta,
  sortKeysDeep,
} from './object-meta.util.js';
import type { EmitResult } from './virtual-service.compiler.js';
import { findPort, workloadPort, workloadSelector } from './workload.util.js';

type Rule = AuthorizationPolicy['spec']['rules'][number];

const SOURCE_LISTS = ['ipBlocks', 'remoteIpBlocks', 'namespaces', 'principals'] as const;

/**
 * One AuthorizationPolicy per AccessControl. Each `from` list becomes its own source entry, so a
 * caller on any list matches (Istio ANDs fields inside one source and ORs the entries).
 */
export function compileAuthorizationPolicy(
  policy: StoredPolicyOf<'AccessControl'>,
  service: MeshService,
  tenant: string,
): EmitResult<AuthorizationPolicy> {
  const ref = {
    kind: 'AuthorizationPolicy' as const,
    name: generatedName(policy.name),
    namespace: service.namespace,
  };
  const source: ClaimSource = { kind: 'policy', policy, path: ['spec'] };
  const rule: Rule = {};
  const from = SOURCE_LISTS.filter((list) => policy.spec.from?.[list]).map((list) => ({
    source: { [list]: [...policy.spec.from![list]!] },
  }));
  if (from.length > 0) rule.from = from;
  const operation: Record<string, string[]> = {};
  const { to, headers } = policy.spec;
  if (to?.methods) operation['methods'] = [...to.methods];
  if (to?.paths) operation['paths'] = [...to.paths];
  const targetPort = findPort(service, policy.target.port);
  const ports = to?.ports ?? (targetPort ? [workloadPort(targetPort)] : undefined);
  if (ports) operation['ports'] = ports.map(String);
  if (Object.keys(operation).length > 0) rule.to = [{ operation }];
  if (headers)
    rule.when = Object.keys(headers)
      .sort()
      .map((name) => ({ key: `request.headers[${name}]`, values: [...headers[name]!] }));
  const object: AuthorizationPolicy = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: objectMeta(ref.name, service.namespace, tenant, service.name, [source]),
    spec: sortKeysDeep({
      selector: { matchLabels: workloadSelector(service) },
      action: policy.spec.action,
      rules: [rule],
    }),
  };
  return {
    object,
    explain: [
      explainFromService(ref, ['spec', 'selector'], `pods of service ${service.namespace}/${service.name}`),
      explainFrom(ref, ['spec', 'action'], { ...source, path: ['spec', 'action'] }),
      explainFrom(ref, ['spec', 'rules', 0], source),
    ],
  };
}
