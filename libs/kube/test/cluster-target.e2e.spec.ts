import { afterAll, beforeAll } from 'vitest';
import { Applier, InMemoryClusterTarget, KubeClusterTarget, Pruner, type KubeObject } from '../src/index.js';
import { clusterTargetContract } from './support/cluster-target.contract.js';
import { startSandbox, uniqueName, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
});

afterAll(async () => {
  await sb.stop();
});

clusterTargetContract('KubeClusterTarget on kube-sim', () => ({
  target: new KubeClusterTarget('sim', new Applier(sb.registry), new Pruner(sb.registry)),
  namespace: (prefix) => sb.namespace(prefix),
  async foreignPut(obj: KubeObject) {
    // A full replace by another manager, as `kubectl replace` does (a fresh create when absent).
    const live = await sb.cluster.objects.get({
      ...obj,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace!,
    });
    const rt = await sb.cluster.objects.resolve(obj);
    const path = `/apis/${rt.apiVersion}/namespaces/${obj.metadata.namespace}/${rt.plural}`;
    const body = {
      ...obj,
      metadata: {
        ...obj.metadata,
        managedFields: undefined,
        resourceVersion: live?.metadata.resourceVersion,
      },
    };
    if (live)
      await sb.cluster.api.send({
        method: 'PUT',
        path: `${path}/${obj.metadata.name}`,
        query: { fieldManager: 'kubectl-replace' },
        body,
      });
    else await sb.cluster.api.send({ method: 'POST', path, query: { fieldManager: 'kubectl-create' }, body });
  },
  get: (ref) => sb.cluster.objects.get(ref),
}));

clusterTargetContract('InMemoryClusterTarget', () => {
  const target = new InMemoryClusterTarget();
  return {
    target,
    namespace: async (prefix) => uniqueName(prefix),
    foreignPut: async (obj) => target.put(obj),
    get: async (ref) => target.get(ref),
  };
});
