import { isJsonObject, metaOf, type JsonObject, type JsonValue } from '../api/object.types.js';
import type { StrategyContext } from './resource-type.types.js';

function obj(parent: JsonObject, key: string): JsonObject {
  const cur = parent[key];
  if (isJsonObject(cur)) return cur;
  const fresh: JsonObject = {};
  parent[key] = fresh;
  return fresh;
}

function setDefault(target: JsonObject, key: string, value: JsonValue): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

function imagePullPolicy(image: JsonValue | undefined): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const last = image.split('/').pop() ?? image;
  if (image.includes('@')) return 'IfNotPresent';
  if (!last.includes(':') || last.endsWith(':latest')) return 'Always';
  return 'IfNotPresent';
}

function defaultContainer(c: JsonValue): void {
  if (!isJsonObject(c)) return;
  setDefault(c, 'imagePullPolicy', imagePullPolicy(c['image']));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  for (const p of Array.isArray(c['ports']) ? c['ports'] : [])
    if (isJsonObject(p)) setDefault(p, 'protocol', 'TCP');
}

/** SetDefaults_PodSpec and SetDefaults_Container (pkg/apis/core/v1/defaults.go), the fields clients see. */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  for (const key of ['containers', 'initContainers']) {
    const list = spec[key];
    if (Array.isArray(list)) list.forEach(defaultContainer);
  }
}

export function defaultPod(pod: JsonObject): void {
  const spec = obj(pod, 'spec');
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(spec, 'priority', 0);
  // The ServiceAccount admission plugin fills these on every pod.
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'serviceAccount', spec['serviceAccountName'] ?? 'default');
}

function defaultTemplate(owner: JsonObject): void {
  const spec = obj(owner, 'spec');
  const template = obj(spec, 'template');
  defaultPodSpec(obj(template, 'spec'));
}

export function defaultDeployment(d: JsonObject): void {
  const spec = obj(d, 'spec');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  const strategy = obj(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = obj(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  defaultTemplate(d);
}

export function defaultReplicaSet(rs: JsonObject): void {
  setDefault(obj(rs, 'spec'), 'replicas', 1);
  defaultTemplate(rs);
}

export function defaultService(svc: JsonObject, ctx: StrategyContext): void {
  const spec = obj(svc, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  const type = spec['type'];
  if (type !== 'ExternalName') {
    setDefault(spec, 'sessionAffinity', 'None');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (spec['clusterIP'] === undefined || spec['clusterIP'] === '')
      spec['clusterIP'] = ctx.allocateClusterIp();
    setDefault(spec, 'clusterIPs', [spec['clusterIP']!]);
    if (spec['clusterIP'] !== 'None') {
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    }
  }
  for (const p of Array.isArray(spec['ports']) ? spec['ports'] : []) {
    if (!isJsonObject(p)) continue;
    setDefault(p, 'protocol', 'TCP');
    if (type !== 'ExternalName') setDefault(p, 'targetPort', p['port'] ?? null);
  }
}

export function defaultNamespace(ns: JsonObject): void {
  const meta = metaOf(ns);
  const name = meta['name'];
  if (typeof name === 'string') {
    const labels = isJsonObject(meta['labels']) ? meta['labels'] : {};
    labels['kubernetes.io/metadata.name'] = name;
    meta['labels'] = labels;
    ns['metadata'] = meta;
  }
}

export function defaultSecret(secret: JsonObject): void {
  setDefault(secret, 'type', 'Opaque');
}
