import { writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ObjectService } from './api/object.service.js';
import type { JsonObject } from './api/object.types.js';
import { PatchService } from './api/patch.service.js';
import { ScaleService } from './api/scale.service.js';
import type { ApiDeps } from './api/write.types.js';
import { ControllerManager, type Reconciler } from './controllers/controller-manager.js';
import { DeploymentReconciler } from './controllers/deployment.reconciler.js';
import { GarbageCollector } from './controllers/garbage-collector.reconciler.js';
import {
  CrdCleanupReconciler,
  NamespaceReconciler,
  ServiceAccountReconciler,
} from './controllers/namespace.reconciler.js';
import { KubeletReconciler, ReplicaSetReconciler } from './controllers/replicaset.reconciler.js';
import { SystemClient } from './controllers/system.client.js';
import { OpenApiDocs } from './discovery/openapi.util.js';
import { FaultInjector } from './faults/fault-injector.js';
import { routeRequest, type RouterDeps } from './http/api.router.js';
import { RequestStats } from './http/request-stats.js';
import { WatchHub } from './http/watch.hub.js';
import { istioCrds } from './istio/istio-crds.js';
import { validateIstioObject } from './istio/istio-validation.util.js';
import { kubeconfigYaml } from './kubeconfig.util.js';
import type { KubeSim, KubeSimOptions } from './kube-sim.types.js';
import { ResourceRegistry } from './registry/resource.registry.js';
import { ObjectStore } from './store/object.store.js';

const crdKey = 'apiextensions.k8s.io/customresourcedefinitions';

/** Service cluster IPs from 10.96.0.0/12, skipping the `kubernetes` (.1) and DNS (.10) addresses. */
function clusterIpAllocator(): () => string {
  let next = 11;
  return () => {
    const n = next++;
    return `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  };
}

/** Keeps the registry in step with CRDs synchronously, so a new CRD is served by the very next request. */
function syncCrds(store: ObjectStore, registry: ResourceRegistry): void {
  store.subscribe((ev) => {
    if (ev.key !== crdKey) return;
    if (ev.type === 'DELETED') {
      const spec = ev.object['spec'] as JsonObject;
      registry.unregister(`${String(spec['group'])}/${String((spec['names'] as JsonObject)['plural'])}`);
    } else registry.registerCrd(ev.object);
  });
}

function seed(objects: ObjectService, deps: ApiDeps, istio: boolean): void {
  const opts = () => ({
    dryRun: false,
    fieldManager: 'kube-apiserver',
    fieldValidation: 'Ignore' as const,
    warnings: [],
  });
  const nsType = deps.registry.byKey('/namespaces')!;
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    objects.create(
      { rt: nsType, version: 'v1', namespace: '', name: '', subresource: '' },
      { metadata: { name } },
      opts(),
    );
  const svcType = deps.registry.byKey('/services')!;
  objects.create(
    { rt: svcType, version: 'v1', namespace: 'default', name: '', subresource: '' },
    {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    },
    opts(),
  );
  if (!istio) return;
  const crdType = deps.registry.byKey(crdKey)!;
  for (const crd of istioCrds())
    objects.create({ rt: crdType, version: 'v1', namespace: '', name: '', subresource: '' }, crd, {
      ...opts(),
      fieldManager: 'istioctl',
    });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The API machinery without HTTP: store, registry, use cases and (optionally) controllers. */
function buildCore(options: KubeSimOptions): {
  deps: ApiDeps;
  objects: ObjectService;
  controllers: ControllerManager;
} {
  const store = new ObjectStore(options.watchHistory ?? 50_000);
  const registry = new ResourceRegistry();
  registry.addCustomValidator((obj, group, version) => validateIstioObject(obj, `${group}/${version}`));
  const faults = new FaultInjector(options.faults);
  const deps: ApiDeps = {
    store,
    registry,
    strategyContext: { allocateClusterIp: clusterIpAllocator() },
    faults,
  };
  const objects = new ObjectService(deps);
  // Controllers write through the same use cases, but injected faults are for clients only.
  const systemDeps: ApiDeps = { ...deps, faults: { takeFailNextUpdate: () => false } };
  const client = new SystemClient(systemDeps, new ObjectService(systemDeps));
  syncCrds(store, registry);
  const reconcilers: Reconciler[] = [
    new GarbageCollector(client),
    new NamespaceReconciler(client),
    new ServiceAccountReconciler(client),
    new CrdCleanupReconciler(client),
  ];
  if (options.controllers !== false)
    reconcilers.push(
      new DeploymentReconciler(client),
      new ReplicaSetReconciler(client),
      new KubeletReconciler(client),
    );
  const controllers = new ControllerManager(store, reconcilers);
  seed(objects, deps, options.istio !== false);
  return { deps, objects, controllers };
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/**
 * Starts the Kubernetes API sandbox: an HTTP server speaking the kube-apiserver protocol (see
 * tools/kube-sim/README.md for what is emulated), seeded with the usual namespaces and the Istio CRDs.
 */
export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  const { deps, objects, controllers } = buildCore(options);
  const faults = deps.faults as FaultInjector;
  const watches = new WatchHub(deps.store, options.bookmarkIntervalMs ?? 60_000);
  const stats = new RequestStats(20_000);
  const hanging = new Set<ServerResponse>();
  let address = '';
  const routerDeps: RouterDeps = {
    deps,
    objects,
    patches: new PatchService(deps, objects),
    scales: new ScaleService(deps, objects),
    watches,
    openapi: new OpenApiDocs(deps.registry),
    faults,
    stats,
    hanging,
    serverAddress: () => address,
  };
  const server = createServer((req, res) => void routeRequest(routerDeps, req, res));
  const sockets = trackSockets(server);
  const port = await listen(server, options.port ?? 0, host);
  address = `${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  const url = `http://${address}`;
  const kubeconfig = kubeconfigYaml(url);
  if (options.kubeconfigOut) writeFileSync(options.kubeconfigOut, kubeconfig, { mode: 0o600 });
  return {
    url,
    port,
    kubeconfig,
    ...(options.kubeconfigOut ? { kubeconfigPath: options.kubeconfigOut } : {}),
    faults,
    stats: () => stats.stats(),
    requestLog: () => stats.requests(),
    resetStats: () => stats.reset(),
    compactHistory: () => deps.store.compact(),
    closeWatches: () => watches.closeAll(),
    resourceVersion: () => deps.store.currentRv,
    stop: async () => {
      controllers.stop();
      watches.closeAll();
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
