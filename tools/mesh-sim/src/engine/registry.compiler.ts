import type { KubeObject, MeshSnapshot } from '../config/mesh-config.types.js';
import { podSpecSchema, podStatusSchema, serviceSpecSchema } from '../config/kube.schema.js';
import { CLUSTER_DOMAIN } from '../topology/topology-loader.util.js';
import type { ResolvedTopology, ResolvedVersion } from '../topology/topology.types.js';
import type { AppProtocol, PodInfo, ServiceInfo, ServicePort } from './engine.types.js';

/** Services and pods of one config version, with the lookups the sidecars need. */
export interface Registry {
  pods: PodInfo[];
  services: ServiceInfo[];
  byFqdn: Map<string, ServiceInfo>;
  /**
   * istio-semantics §1.1 virtual host domains: FQDN, `name.ns`, `name.ns.svc` and ClusterIP for
   * everyone; the bare `name` only for clients in the service's namespace (keyed `ns/name`).
   */
  byDomain: Map<string, ServiceInfo>;
}

export interface ConfigProblem {
  kind: string;
  namespace: string;
  name: string;
  path: string;
  message: string;
}

export function compileRegistry(
  snapshot: MeshSnapshot,
  topology: ResolvedTopology,
  problems: ConfigProblem[],
): Registry {
  const behaviours = new Map<string, ResolvedVersion>();
  for (const service of topology.services) {
    for (const version of service.versions) {
      behaviours.set(`${service.namespace}/${service.name}/${version.name}`, version);
    }
  }
  const pods: PodInfo[] = [];
  for (const obj of snapshot.Pod) {
    const pod = toPodInfo(obj, pods.length, behaviours);
    if (pod) pods.push(pod);
  }
  const readyByNamespace = new Map<string, PodInfo[]>();
  for (const pod of pods) {
    if (!pod.ready) continue;
    const list = readyByNamespace.get(pod.namespace) ?? [];
    list.push(pod);
    readyByNamespace.set(pod.namespace, list);
  }
  const services: ServiceInfo[] = [];
  for (const obj of snapshot.Service) {
    const service = toServiceInfo(obj, readyByNamespace, problems);
    if (service) services.push(service);
  }
  const byFqdn = new Map<string, ServiceInfo>();
  const byDomain = new Map<string, ServiceInfo>();
  for (const s of services) {
    byFqdn.set(s.fqdn, s);
    byDomain.set(s.fqdn, s);
    byDomain.set(`${s.name}.${s.namespace}`, s);
    byDomain.set(`${s.name}.${s.namespace}.svc`, s);
    byDomain.set(`${s.namespace}/${s.name}`, s);
    if (s.clusterIP && s.clusterIP !== 'None') byDomain.set(s.clusterIP, s);
  }
  return { pods, services, byFqdn, byDomain };
}

/** Finds the service a client in `clientNamespace` reaches with `host` (no port). */
export function resolveServiceHost(
  registry: Registry,
  host: string,
  clientNamespace: string,
): ServiceInfo | undefined {
  if (host.indexOf('.') === -1) return registry.byDomain.get(`${clientNamespace}/${host}`);
  return registry.byDomain.get(host);
}

function toPodInfo(
  obj: KubeObject,
  index: number,
  behaviours: Map<string, ResolvedVersion>,
): PodInfo | undefined {
  const meta = obj.metadata;
  if (!meta?.name || !meta.namespace) return undefined;
  const spec = podSpecSchema.safeParse(obj.spec ?? {});
  const status = podStatusSchema.safeParse(obj.status ?? {});
  const labels = meta.labels ?? {};
  const phase = status.success ? status.data.phase : undefined;
  const readyCondition = status.success ? status.data.conditions?.find((c) => c.type === 'Ready') : undefined;
  const ip = (status.success ? status.data.podIP : undefined) ?? '';
  const ready =
    phase === 'Running' &&
    ip !== '' &&
    !meta.deletionTimestamp &&
    (!readyCondition || readyCondition.status === 'True');
  const serviceAccount =
    (spec.success ? (spec.data.serviceAccountName ?? spec.data.serviceAccount) : undefined) ?? 'default';
  const workload = workloadName(obj);
  const app = labels['app'] ?? 'unknown';
  const version = labels['version'] ?? 'unknown';
  return {
    index,
    uid: meta.uid ?? `${meta.namespace}/${meta.name}`,
    name: meta.name,
    namespace: meta.namespace,
    ip,
    labels,
    workload,
    app,
    version,
    // istio-semantics §5.2: canonical service and revision label precedence.
    canonicalService:
      labels['service.istio.io/canonical-name'] ??
      labels['app.kubernetes.io/name'] ??
      labels['app'] ??
      workload,
    canonicalRevision:
      labels['service.istio.io/canonical-revision'] ??
      labels['app.kubernetes.io/version'] ??
      labels['version'] ??
      'latest',
    serviceAccount,
    principal: `${CLUSTER_DOMAIN}/ns/${meta.namespace}/sa/${serviceAccount}`,
    ready,
    sidecar:
      meta.annotations?.['sidecar.istio.io/inject'] !== 'false' &&
      labels['sidecar.istio.io/inject'] !== 'false',
    behaviour: behaviours.get(`${meta.namespace}/${app}/${version}`),
  };
}

/**
 * The workload is the pod's controller, as Istio names it: a ReplicaSet whose name ends with the
 * pod's `pod-template-hash` belongs to the Deployment named by the rest. Pods without an owner
 * fall back to generateName (same rule), then their own name.
 */
export function workloadName(obj: KubeObject): string {
  const meta = obj.metadata ?? {};
  const hash = meta.labels?.['pod-template-hash'];
  const trim = (name: string): string =>
    hash && name.endsWith(`-${hash}`) ? name.slice(0, -hash.length - 1) : name;
  const owner = meta.ownerReferences?.[0];
  if (owner?.name) return owner.kind === 'ReplicaSet' ? trim(owner.name) : owner.name;
  if (meta.generateName) return trim(meta.generateName.replace(/-$/, ''));
  return meta.name ?? 'unknown';
}

function toServiceInfo(
  obj: KubeObject,
  readyByNamespace: Map<string, PodInfo[]>,
  problems: ConfigProblem[],
): ServiceInfo | undefined {
  const meta = obj.metadata;
  if (!meta?.name || !meta.namespace) return undefined;
  const parsed = serviceSpecSchema.safeParse(obj.spec ?? {});
  if (!parsed.success) {
    problems.push({
      kind: 'Service',
      namespace: meta.namespace,
      name: meta.name,
      path: '$.spec',
      message: parsed.error.issues[0]?.message ?? 'invalid',
    });
    return undefined;
  }
  const spec = parsed.data;
  const selector = spec.selector ?? undefined;
  const ports: ServicePort[] = (spec.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: p.port,
    targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: portProtocol(p.name ?? '', p.appProtocol ?? undefined),
  }));
  const candidates = readyByNamespace.get(meta.namespace) ?? [];
  const endpoints =
    selector && Object.keys(selector).length > 0
      ? candidates.filter((pod) => labelsMatch(selector, pod.labels))
      : [];
  return {
    name: meta.name,
    namespace: meta.namespace,
    fqdn: `${meta.name}.${meta.namespace}.svc.${CLUSTER_DOMAIN}`,
    clusterIP: spec.clusterIP ?? '',
    selector,
    ports,
    endpoints,
  };
}

/** Istio protocol selection: `appProtocol`, then the port name prefix; anything else is sniffed as HTTP. */
function portProtocol(name: string, appProtocol: string | undefined): AppProtocol {
  const declared = (appProtocol ?? name.split('-')[0] ?? '').toLowerCase();
  return declared === 'grpc' || declared === 'grpc-web' ? 'grpc' : 'http';
}

export function labelsMatch(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}
