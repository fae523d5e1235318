import { isRecord, type KubeObject } from '../kube.types.js';
import type { DiscoveredPort, DiscoveredService, DiscoveredVersion } from './discovery.types.js';

type Labels = Record<string, string>;

function stringMap(value: unknown): Labels {
  if (!isRecord(value)) return {};
  const out: Labels = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function at(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  return cur;
}

/** A Service selector matches labels that hold every selector pair (an empty selector selects nothing). */
export function selects(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** Ready: the Ready condition is True (a pod being deleted is not counted). */
export function isReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = at(pod, 'status', 'conditions');
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isRecord(c) && c['type'] === 'Ready' && c['status'] === 'True')
  );
}

interface NamedPort {
  name: string;
  containerPort: number;
}

function containerPorts(podSpec: unknown): NamedPort[] {
  const containers = at(podSpec, 'containers');
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((c) => {
    const ports = at(c, 'ports');
    return Array.isArray(ports)
      ? ports
          .filter(
            (p) => isRecord(p) && typeof p['name'] === 'string' && typeof p['containerPort'] === 'number',
          )
          .map((p) => p as unknown as NamedPort)
      : [];
  });
}

function servicePorts(svc: KubeObject, podSpecs: unknown[]): DiscoveredPort[] {
  const ports = at(svc, 'spec', 'ports');
  if (!Array.isArray(ports)) return [];
  const named = podSpecs.flatMap(containerPorts);
  return ports.filter(isRecord).map((p) => {
    const target = p['targetPort'];
    const targetPort =
      typeof target === 'number'
        ? target
        : typeof target === 'string'
          ? named.find((n) => n.name === target)?.containerPort
          : p['port'];
    return {
      ...(typeof p['name'] === 'string' && p['name'] ? { name: p['name'] } : {}),
      port: Number(p['port']),
      ...(typeof targetPort === 'number' ? { targetPort } : {}),
      protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP',
    };
  });
}

function versionsOf(
  selector: Labels,
  pods: KubeObject[],
  deployments: KubeObject[],
  versionLabel: string,
): { versions: DiscoveredVersion[]; unversioned: number } {
  const byName = new Map<string, DiscoveredVersion>();
  const version = (name: string) => {
    let v = byName.get(name);
    if (!v) byName.set(name, (v = { name, labels: { [versionLabel]: name }, pods: 0, deployments: [] }));
    return v;
  };
  for (const d of deployments) {
    const labels = stringMap(at(d, 'spec', 'template', 'metadata', 'labels'));
    const name = labels[versionLabel];
    if (name && selects(selector, labels)) version(name).deployments.push(d.metadata.name);
  }
  let unversioned = 0;
  for (const p of pods) {
    const labels = stringMap(p.metadata.labels);
    if (!selects(selector, labels)) continue;
    const name = labels[versionLabel];
    if (!name) {
      if (isReady(p)) unversioned++;
      continue;
    }
    const v = version(name);
    if (isReady(p)) v.pods++;
  }
  const versions = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const v of versions) v.deployments.sort();
  return { versions, unversioned };
}

/**
 * Services with the versions behind them, from plain lists of one namespace's (or the cluster's)
 * Services, Deployments and Pods. Pure, so it is tested without a cluster.
 */
export function groupServices(
  services: KubeObject[],
  deployments: KubeObject[],
  pods: KubeObject[],
  versionLabel = 'version',
): DiscoveredService[] {
  const out: DiscoveredService[] = [];
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? '';
    const selector = stringMap(at(svc, 'spec', 'selector'));
    const hasSelector = Object.keys(selector).length > 0;
    const nsPods = pods.filter((p) => p.metadata.namespace === ns);
    const nsDeployments = deployments.filter((d) => d.metadata.namespace === ns);
    const { versions, unversioned } = hasSelector
      ? versionsOf(selector, nsPods, nsDeployments, versionLabel)
      : { versions: [], unversioned: 0 };
    const selected = hasSelector ? nsPods.filter((p) => selects(selector, stringMap(p.metadata.labels))) : [];
    const templates = hasSelector
      ? nsDeployments.filter((d) =>
          selects(selector, stringMap(at(d, 'spec', 'template', 'metadata', 'labels'))),
        )
      : [];
    const podSpecs = [
      ...selected.map((p) => at(p, 'spec')),
      ...templates.map((d) => at(d, 'spec', 'template', 'spec')),
    ];
    const app =
      selector['app'] ??
      selected.map((p) => stringMap(p.metadata.labels)['app']).find((a) => a !== undefined);
    out.push({
      namespace: ns,
      name: svc.metadata.name,
      ...(app ? { app } : {}),
      ports: servicePorts(svc, podSpecs),
      versions,
      ...(hasSelector ? { selector } : {}),
      unversionedPods: unversioned,
    });
  }
  return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
}
