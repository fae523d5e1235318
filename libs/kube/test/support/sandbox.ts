// Tests only: the sandbox API server is a dev tool (type:tool), which production code of a
// data-access lib may not import; this file is the one place the tests reach for it.
import { startKubeSim, type KubeSim, type KubeSimOptions } from '@heliomesh/kube-sim';
import {
  ClusterRegistry,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  SERVICE_LABEL,
  TENANT_LABEL,
  type ClusterOptions,
  type KubeCluster,
  type KubeObject,
} from '../../src/index.js';

export interface Sandbox {
  sim: KubeSim;
  registry: ClusterRegistry;
  cluster: KubeCluster;
  /** Creates a namespace with a unique name. */
  namespace(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

/** A kube-sim of this test file's own, registered as cluster `sim` (no rate limit unless asked). */
export async function startSandbox(
  opts: KubeSimOptions = {},
  clusterOptions: ClusterOptions = { rateLimit: { qps: Infinity, burst: 1 } },
): Promise<Sandbox> {
  const sim = await startKubeSim({ controllers: false, ...opts });
  const registry = new ClusterRegistry();
  const cluster = registry.register('sim', { type: 'sandbox', url: sim.url }, clusterOptions);
  return {
    sim,
    registry,
    cluster,
    async namespace(prefix) {
      const name = uniqueName(prefix);
      await cluster.api.send({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name } } });
      return name;
    },
    async stop() {
      await registry.close();
      await sim.stop();
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface OurLabels {
  tenant: string;
  service?: string;
}

function labelsFor(ours: OurLabels | undefined): Record<string, string> | undefined {
  if (!ours) return undefined;
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [TENANT_LABEL]: ours.tenant,
    ...(ours.service ? { [SERVICE_LABEL]: ours.service } : {}),
  };
}

/** A VirtualService as libs/istio emits one: a host, two weighted subsets. */
export function virtualService(namespace: string, name: string, ours?: OurLabels, weight = 90): KubeObject {
  const labels = labelsFor(ours);
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: {
      hosts: [`${name}.${namespace}.svc.cluster.local`],
      http: [
        {
          route: [
            { destination: { host: `${name}.${namespace}.svc.cluster.local`, subset: 'v1' }, weight },
            {
              destination: { host: `${name}.${namespace}.svc.cluster.local`, subset: 'v2' },
              weight: 100 - weight,
            },
          ],
        },
      ],
    },
  };
}

export function destinationRule(namespace: string, name: string, ours?: OurLabels): KubeObject {
  const labels = labelsFor(ours);
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: {
      host: `${name}.${namespace}.svc.cluster.local`,
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    },
  };
}
