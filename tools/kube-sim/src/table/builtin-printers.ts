import { getPath, isJsonObject, stringMap, type JsonValue, type KubeObject } from '../api/object.types.js';
import type { PrinterColumn } from '../registry/resource-type.types.js';
import { age } from './human-duration.util.js';

type Cell = string | number | boolean | null;

function col(
  name: string,
  type: string,
  description: string,
  cell: (obj: KubeObject, now: Date) => Cell,
  priority = 0,
  format = '',
): PrinterColumn {
  return { name, type, format, description, priority, cell };
}

const nameCol = col(
  'Name',
  'string',
  'Name must be unique within a namespace.',
  (o) => o.metadata.name,
  0,
  'name',
);
const ageCol = col(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
  (o, now) => age(o.metadata.creationTimestamp, now),
);

/** The wide columns of a workload with a pod template (Deployment, ReplicaSet). */
const podTemplateCols: PrinterColumn[] = [
  col(
    'Containers',
    'string',
    'Names of each container in the template.',
    (o) => containerNames(o, ['spec', 'template', 'spec', 'containers']),
    1,
  ),
  col(
    'Images',
    'string',
    'Images referenced by each container in the template.',
    (o) => containerImages(o, ['spec', 'template', 'spec', 'containers']),
    1,
  ),
  col(
    'Selector',
    'string',
    'Label selector for pods.',
    (o) => selectorText(getPath(o, ['spec', 'selector'])),
    1,
  ),
];

function num(v: JsonValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function countKeys(v: JsonValue | undefined): number {
  return isJsonObject(v) ? Object.keys(v).length : 0;
}

function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

function selectorText(sel: JsonValue | undefined): string {
  if (!isJsonObject(sel)) return '<none>';
  const parts = Object.entries(stringMap(sel['matchLabels'])).map(([k, v]) => `${k}=${v}`);
  for (const e of list(sel['matchExpressions'])) {
    if (!isJsonObject(e)) continue;
    const values = list(e['values']).join(',');
    const op = String(e['operator']);
    parts.push(
      op === 'Exists'
        ? String(e['key'])
        : op === 'DoesNotExist'
          ? `!${String(e['key'])}`
          : `${String(e['key'])} ${op.toLowerCase()} (${values})`,
    );
  }
  return parts.length ? parts.join(',') : '<none>';
}

function mapText(map: JsonValue | undefined): string {
  const entries = Object.entries(stringMap(map));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

function containersOf(obj: KubeObject, path: string[]): JsonValue[] {
  return list(getPath(obj, path));
}

function containerNames(obj: KubeObject, path: string[]): string {
  return containersOf(obj, path)
    .map((c) => (isJsonObject(c) ? String(c['name'] ?? '') : ''))
    .join(',');
}

function containerImages(obj: KubeObject, path: string[]): string {
  return containersOf(obj, path)
    .map((c) => (isJsonObject(c) ? String(c['image'] ?? '') : ''))
    .join(',');
}

function podStatus(pod: KubeObject): string {
  if (pod.metadata['deletionTimestamp']) return 'Terminating';
  let reason = String(getPath(pod, ['status', 'phase']) ?? 'Pending');
  const statusReason = getPath(pod, ['status', 'reason']);
  if (typeof statusReason === 'string' && statusReason) reason = statusReason;
  for (const cs of list(getPath(pod, ['status', 'containerStatuses']))) {
    const waiting = getPath(cs, ['state', 'waiting', 'reason']);
    if (typeof waiting === 'string' && waiting) reason = waiting;
  }
  return reason;
}

function podReady(pod: KubeObject): string {
  const total = containersOf(pod, ['spec', 'containers']).length;
  const ready = list(getPath(pod, ['status', 'containerStatuses'])).filter(
    (c) => getPath(c, ['ready']) === true,
  ).length;
  return `${ready}/${total}`;
}

function podRestarts(pod: KubeObject): number {
  return list(getPath(pod, ['status', 'containerStatuses'])).reduce<number>(
    (n, c) => n + num(getPath(c, ['restartCount'])),
    0,
  );
}

function servicePorts(svc: KubeObject): string {
  const ports = list(getPath(svc, ['spec', 'ports'])).filter(isJsonObject);
  if (ports.length === 0) return '<none>';
  return ports
    .map(
      (p) =>
        `${String(p['port'])}${p['nodePort'] !== undefined ? `:${String(p['nodePort'])}` : ''}/${String(p['protocol'] ?? 'TCP')}`,
    )
    .join(',');
}

function externalIp(svc: KubeObject): string {
  const type = getPath(svc, ['spec', 'type']);
  const ips = list(getPath(svc, ['spec', 'externalIPs'])).map(String);
  if (type === 'ExternalName') return String(getPath(svc, ['spec', 'externalName']) ?? '<none>');
  if (type === 'LoadBalancer') {
    const ingress = list(getPath(svc, ['status', 'loadBalancer', 'ingress'])).map((i) =>
      String(getPath(i, ['ip']) ?? getPath(i, ['hostname']) ?? ''),
    );
    const all = [...ingress, ...ips].filter(Boolean);
    return all.length ? all.join(',') : '<pending>';
  }
  return ips.length ? ips.join(',') : '<none>';
}

/** Columns of the built-in kinds, as pkg/printers/internalversion/printers.go defines them. */
export const builtinColumns: Record<string, PrinterColumn[]> = {
  Namespace: [
    nameCol,
    col('Status', 'string', 'The status of the namespace', (o) =>
      String(getPath(o, ['status', 'phase']) ?? ''),
    ),
    ageCol,
  ],
  Pod: [
    nameCol,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.', podReady),
    col('Status', 'string', 'The aggregate status of the containers in this pod.', podStatus),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      podRestarts,
    ),
    ageCol,
    col(
      'IP',
      'string',
      'The IP address assigned to the pod',
      (o) => String(getPath(o, ['status', 'podIP']) ?? '<none>'),
      1,
    ),
    col(
      'Node',
      'string',
      'The node this pod is scheduled on',
      (o) => String(getPath(o, ['spec', 'nodeName']) ?? '<none>'),
      1,
    ),
    col(
      'Nominated Node',
      'string',
      'The node on which the pod may be scheduled.',
      (o) => String(getPath(o, ['status', 'nominatedNodeName']) ?? '<none>'),
      1,
    ),
    col(
      'Readiness Gates',
      'string',
      'The readiness gates of the pod.',
      (o) => {
        const gates = list(getPath(o, ['spec', 'readinessGates']));
        return gates.length ? `0/${gates.length}` : '<none>';
      },
      1,
    ),
  ],
  Service: [
    nameCol,
    col('Type', 'string', 'The type of the service.', (o) =>
      String(getPath(o, ['spec', 'type']) ?? 'ClusterIP'),
    ),
    col('Cluster-IP', 'string', 'The cluster IP of the service.', (o) =>
      String(getPath(o, ['spec', 'clusterIP']) ?? '<none>'),
    ),
    col('External-IP', 'string', 'The external IPs of the service.', externalIp),
    col('Port(s)', 'string', 'The ports of the service.', servicePorts),
    ageCol,
    col(
      'Selector',
      'string',
      'The selector of the service.',
      (o) => mapText(getPath(o, ['spec', 'selector'])),
      1,
    ),
  ],
  Deployment: [
    nameCol,
    col(
      'Ready',
      'string',
      'Number of the pod with ready state',
      (o) => `${num(getPath(o, ['status', 'readyReplicas']))}/${num(getPath(o, ['spec', 'replicas']))}`,
    ),
    col(
      'Up-to-date',
      'integer',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      (o) => num(getPath(o, ['status', 'updatedReplicas'])),
    ),
    col(
      'Available',
      'integer',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      (o) => num(getPath(o, ['status', 'availableReplicas'])),
    ),
    ageCol,
    ...podTemplateCols,
  ],
  ReplicaSet: [
    nameCol,
    col('Desired', 'integer', 'Number of desired pods.', (o) => num(getPath(o, ['spec', 'replicas']))),
    col('Current', 'integer', 'Number of actual replicas.', (o) => num(getPath(o, ['status', 'replicas']))),
    col('Ready', 'integer', 'The number of ready replicas.', (o) =>
      num(getPath(o, ['status', 'readyReplicas'])),
    ),
    ageCol,
    ...podTemplateCols,
  ],
  ConfigMap: [
    nameCol,
    col(
      'Data',
      'string',
      'Data contains the configuration data.',
      (o) => countKeys(o['data']) + countKeys(o['binaryData']),
    ),
    ageCol,
  ],
  Secret: [
    nameCol,
    col('Type', 'string', 'The type of the secret', (o) => String(getPath(o, ['type']) ?? 'Opaque')),
    col('Data', 'string', 'The number of entries in the secret', (o) => countKeys(o['data'])),
    ageCol,
  ],
  ServiceAccount: [
    nameCol,
    col(
      'Secrets',
      'string',
      'The number of secrets attached to the service account',
      (o) => list(getPath(o, ['secrets'])).length,
    ),
    ageCol,
  ],
  CustomResourceDefinition: [
    nameCol,
    col('Created At', 'date', 'The time at which the resource was created', (o) =>
      String(o.metadata.creationTimestamp ?? ''),
    ),
  ],
};
