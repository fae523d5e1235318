import type { KubeObject } from '../config/mesh-config.types.js';
import { fnv1a } from '../engine/load-balancer.util.js';
import type { ResolvedService, ResolvedTopology, ResolvedVersion } from '../topology/topology.types.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'mesh-sim' } as const;

/** The objects `--deploy` applies: namespaces (sidecar injection on), Deployments and Services. */
export function topologyManifests(topology: ResolvedTopology): KubeObject[] {
  const namespaces = [...new Set(topology.services.map((s) => s.namespace))];
  return [
    ...namespaces.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { ...MANAGED_BY, 'istio-injection': 'enabled' } },
    })),
    ...topology.services.flatMap((s) => s.versions.map((v) => deployment(s, v))),
    ...topology.services.map(service),
  ];
}

function podLabels(s: ResolvedService, v: ResolvedVersion): Record<string, string> {
  return { ...v.labels, app: s.name, version: v.name };
}

function deployment(s: ResolvedService, v: ResolvedVersion): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: v.workload,
      namespace: s.namespace,
      labels: { ...MANAGED_BY, app: s.name, version: v.name },
    },
    spec: {
      replicas: v.replicas,
      selector: { matchLabels: { app: s.name, version: v.name } },
      template: {
        metadata: { labels: podLabels(s, v) },
        spec: {
          serviceAccountName: s.serviceAccount,
          containers: [
            {
              name: s.name,
              // Never pulled: mesh-sim plays the app in-process.
              image: 'registry.invalid/heliomesh/mesh-sim-app:1',
              ports: [{ name: s.protocol === 'grpc' ? 'grpc' : 'http', containerPort: s.port }],
            },
          ],
        },
      },
    },
  };
}

function service(s: ResolvedService): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: { ...MANAGED_BY, app: s.name } },
    spec: {
      selector: { app: s.name },
      ports: [
        { name: s.protocol === 'grpc' ? 'grpc' : 'http', port: s.port, targetPort: s.port, protocol: 'TCP' },
      ],
    },
  };
}

/**
 * The Services and Running Pods a controller would produce for the topology, for running
 * without a cluster (in-memory source). Pod names and IPs are stable for a given topology.
 */
export function simulatedCluster(topology: ResolvedTopology): KubeObject[] {
  const objects: KubeObject[] = topology.services.map(service);
  let n = 0;
  for (const s of topology.services) {
    for (const v of s.versions) {
      const hash = (fnv1a(v.workload) % 0xfffffff).toString(36).padStart(6, 'x').slice(0, 9);
      for (let r = 0; r < v.replicas; r++) {
        n++;
        const suffix = (fnv1a(`${v.workload}-${r}`) % 0xfffffff).toString(36).slice(0, 5).padStart(5, 'z');
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${v.workload}-${hash}-${suffix}`,
            namespace: s.namespace,
            labels: { ...podLabels(s, v), 'pod-template-hash': hash },
            ownerReferences: [{ kind: 'ReplicaSet', name: `${v.workload}-${hash}` }],
          },
          spec: { serviceAccountName: s.serviceAccount },
          status: {
            phase: 'Running',
            podIP: `10.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`,
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        });
      }
    }
  }
  return objects;
}
