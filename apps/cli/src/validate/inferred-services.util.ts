import type { MeshService } from '@heliomesh/istio';
import type { PolicyBody } from '@heliomesh/policy';

interface Draft {
  namespace: string;
  name: string;
  versions: Set<string>;
  ports: Set<number>;
}

/**
 * Without the cluster's services, a stand-in for each service the policies name: the versions
 * and ports they mention, one pod each, labelled by the usual `app`/`version` convention. The
 * checks that would only be testing this guess are skipped (see SNAPSHOT_CODES).
 */
export function inferServices(policies: readonly PolicyBody[]): MeshService[] {
  const drafts = new Map<string, Draft>();
  const draft = (namespace: string, name: string): Draft => {
    const key = `${namespace}/${name}`;
    let d = drafts.get(key);
    if (!d) {
      d = { namespace, name, versions: new Set(), ports: new Set() };
      drafts.set(key, d);
    }
    return d;
  };
  for (const policy of policies) {
    const ns = policy.target.namespace;
    const own = draft(ns, policy.target.service);
    if (policy.target.port !== undefined) own.ports.add(policy.target.port);
    collect(policy.spec, own, (name) => draft(ns, name));
  }
  return [...drafts.values()]
    .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1))
    .map((d) => {
      const versions = d.versions.size ? [...d.versions].sort() : ['v1'];
      const ports = d.ports.size ? [...d.ports].sort((a, b) => a - b) : [80];
      return {
        name: d.name,
        namespace: d.namespace,
        ports: ports.map((port) => ({ port, name: `http-${port}` })),
        versions: versions.map((v) => ({ name: v, labels: { app: d.name, version: v }, pods: 1 })),
        selector: { app: d.name },
      };
    });
}

/** `version` and `port` fields belong to the nearest enclosing object that names a `service`, else to the target. */
function collect(value: unknown, owner: Draft, other: (name: string) => Draft): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, owner, other);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  const here = typeof obj['service'] === 'string' && obj['service'] !== '' ? other(obj['service']) : owner;
  if (typeof obj['version'] === 'string' && obj['version'] !== '') here.versions.add(obj['version']);
  if (typeof obj['port'] === 'number' && Number.isInteger(obj['port'])) here.ports.add(obj['port']);
  for (const [key, child] of Object.entries(obj)) if (key !== 'service') collect(child, here, other);
}
