import type { JsonPath } from '@heliomesh/util';
import type { Claim, ClaimSource } from '../model/claims.util.js';
import type { HostModel } from '../model/host-model.util.js';
import type { ExplainEntry } from './explain.types.js';
import type { DestinationRule, IstioTrafficPolicy } from './istio-objects.types.js';
import {
  explainFrom,
  explainFromService,
  generatedName,
  objectMeta,
  sortKeysDeep,
} from './object-meta.util.js';
import type { EmitResult } from './virtual-service.compiler.js';

/** The Istio traffic-policy block a claimed field belongs to (`connectionPool`, ...). */
const blockOf = (field: string) => field.split('.')[0]!;

type Ref = { kind: 'DestinationRule'; name: string; namespace: string };

/**
 * The one DestinationRule of a host: a subset per version (named after it) and the traffic
 * policy. A subset's traffic policy replaces each block it sets as a whole in Istio, so when a
 * version-level policy touches a block, the subset gets the service-wide fields of that block
 * too, and only the version's own fields differ.
 */
export function compileDestinationRule(
  model: HostModel,
  tenant: string,
  withExplain = true,
): EmitResult<DestinationRule> {
  const { service } = model;
  const ref: Ref = {
    kind: 'DestinationRule',
    name: generatedName(service.name),
    namespace: service.namespace,
  };
  const explain: ExplainEntry[] | null = withExplain ? [] : null;
  explain?.push(
    explainFromService(ref, ['spec', 'host'], `host of service ${service.namespace}/${service.name}`),
  );
  const sources: ClaimSource[] = [];
  const top = model.destination.top.claims;
  const trafficPolicy = buildPolicy(top, new Set(), ['spec', 'trafficPolicy'], ref, explain, sources);
  const versions = [...service.versions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subsets = versions.map((version, i) => {
    explain?.push(explainFromService(ref, ['spec', 'subsets', i], `version ${version.name} of the service`));
    const own = model.destination.subsets.get(version.name)?.claims;
    // Keys in sorted order (labels, name, trafficPolicy): specs are built sorted, not deep-copied.
    const labels: Record<string, string> = {};
    for (const key of Object.keys(version.labels).sort()) labels[key] = version.labels[key]!;
    const subset: NonNullable<DestinationRule['spec']['subsets']>[number] = { labels, name: version.name };
    if (own && own.size > 0) {
      const touched = new Set([...own.keys()].map(blockOf));
      const merged = new Map<string, Claim>();
      const inherited = new Set<string>();
      for (const [field, claim] of top)
        if (touched.has(blockOf(field)) && !own.has(field)) {
          merged.set(field, claim);
          inherited.add(field);
        }
      for (const [field, claim] of own) merged.set(field, claim);
      subset.trafficPolicy = buildPolicy(
        merged,
        inherited,
        ['spec', 'subsets', i, 'trafficPolicy'],
        ref,
        explain,
        sources,
      );
    }
    return subset;
  });
  const spec: DestinationRule['spec'] = { host: model.host };
  if (subsets.length > 0) spec.subsets = subsets;
  if (trafficPolicy) spec.trafficPolicy = trafficPolicy;
  const object: DestinationRule = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: objectMeta(ref.name, service.namespace, tenant, service.name, sources),
    spec,
  };
  return { object, explain: explain ?? [] };
}

function buildPolicy(
  claims: Map<string, Claim>,
  inherited: Set<string>,
  at: JsonPath,
  ref: Ref,
  explain: ExplainEntry[] | null,
  sources: ClaimSource[],
): IstioTrafficPolicy | undefined {
  if (claims.size === 0) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [field, claim] of claims) {
    sources.push(claim.source);
    const note = inherited.has(field)
      ? 'copied from the service-wide setting: a subset traffic policy replaces the whole block in Istio'
      : undefined;
    const [block, ...rest] = field.split('.');
    const target = (out[block!] ??= {});
    if (field === 'loadBalancer.algorithm') {
      Object.assign(target, claim.value as Record<string, unknown>);
      const key = Object.keys(claim.value as object)[0]!;
      explain?.push(explainFrom(ref, [...at, 'loadBalancer', key], claim.source, note));
      continue;
    }
    setPath(target, rest, claim.value);
    explain?.push(explainFrom(ref, [...at, block!, ...rest], claim.source, note));
  }
  return sortKeysDeep(out);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}
