import { getPath, jsonEqual, nowTimestamp, type JsonObject, type KubeObject } from '../api/object.types.js';
import type { StoreEvent } from '../store/object.store.js';
import type { Reconciler } from './controller-manager.js';
import { controllerOf, controllerRef, isDeleting, nsName, splitNsName } from './owner.util.js';
import type { SystemClient } from './system.client.js';
import { isPodReady, num } from './workload.util.js';

const rsKey = 'apps/replicasets';
const manager = 'kube-controller-manager';

/** ReplicaSet controller: keeps `spec.replicas` pods carrying the template, and reports status. */
export class ReplicaSetReconciler implements Reconciler {
  readonly name = 'replicaset';

  constructor(private readonly client: SystemClient) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.key === rsKey)
      return ev.type === 'DELETED' ? [] : [nsName(ev.object.metadata.namespace, ev.object.metadata.name)];
    if (ev.key !== '/pods') return [];
    const owner = controllerOf(ev.object) ?? (ev.prev ? controllerOf(ev.prev) : undefined);
    return owner?.kind === 'ReplicaSet' ? [nsName(ev.object.metadata.namespace, owner.name)] : [];
  }

  reconcile(key: string): void {
    const [ns, name] = splitNsName(key);
    const rs = this.client.get(rsKey, ns, name);
    if (!rs || isDeleting(rs)) return;
    const pods = this.client
      .list('/pods', ns)
      .filter((p) => controllerOf(p)?.uid === rs.metadata.uid && !isDeleting(p));
    const desired = num(getPath(rs, ['spec', 'replicas']), 1);
    if (pods.length < desired) for (let i = pods.length; i < desired; i++) this.createPod(rs);
    else if (pods.length > desired) {
      // Like the real controller: unready pods go first, then the newest.
      const victims = [...pods]
        .sort(
          (a, b) =>
            Number(isPodReady(a)) - Number(isPodReady(b)) ||
            String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
        )
        .slice(0, pods.length - desired);
      for (const p of victims) this.client.delete('/pods', p);
    }
    this.updateStatus(rs, pods);
  }

  private createPod(rs: KubeObject): void {
    const template = getPath(rs, ['spec', 'template']) as JsonObject | undefined;
    const meta = (template?.['metadata'] ?? {}) as JsonObject;
    this.client.create(
      '/pods',
      rs.metadata.namespace,
      {
        metadata: {
          ...meta,
          generateName: `${rs.metadata.name}-`,
          namespace: rs.metadata.namespace ?? '',
          ownerReferences: [controllerRef(rs)],
        },
        spec: structuredClone(template?.['spec'] ?? {}),
      },
      manager,
    );
  }

  private updateStatus(rs: KubeObject, pods: KubeObject[]): void {
    const ready = pods.filter(isPodReady).length;
    const status: JsonObject = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: num(rs.metadata['generation'], 1),
    };
    for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'] as const)
      if (status[k] === 0) delete status[k];
    if (jsonEqual(rs['status'], status)) return;
    this.client.update(rsKey, { ...rs, status }, manager, 'status');
  }
}

/** The fake kubelet: schedules every pending pod onto the one sandbox node and reports it Running and Ready. */
export class KubeletReconciler implements Reconciler {
  readonly name = 'kubelet';
  private nextIp = 0;

  constructor(private readonly client: SystemClient) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.key !== '/pods' || ev.type === 'DELETED' || isDeleting(ev.object)) return [];
    return getPath(ev.object, ['status', 'phase']) === 'Pending'
      ? [nsName(ev.object.metadata.namespace, ev.object.metadata.name)]
      : [];
  }

  private podIp(): string {
    const n = this.nextIp++;
    return `10.244.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`;
  }

  reconcile(key: string): void {
    const [ns, name] = splitNsName(key);
    let pod = this.client.get('/pods', ns, name);
    if (!pod || isDeleting(pod) || getPath(pod, ['status', 'phase']) !== 'Pending') return;
    if (!getPath(pod, ['spec', 'nodeName'])) {
      pod = this.client.update(
        '/pods',
        { ...pod, spec: { ...(pod['spec'] as JsonObject), nodeName: 'kube-sim-node' } },
        'kube-scheduler',
      );
      if (!pod) return;
    }
    const now = nowTimestamp();
    const ip = this.podIp();
    const containers = getPath(pod, ['spec', 'containers']);
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    });
    const status: JsonObject = {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map(condition),
      hostIP: '10.0.0.10',
      hostIPs: [{ ip: '10.0.0.10' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      containerStatuses: (Array.isArray(containers) ? containers : []).map((c) => {
        const image = String(getPath(c, ['image']) ?? '');
        const cname = String(getPath(c, ['name']) ?? '');
        return {
          name: cname,
          image,
          imageID: `${image}@sha256:${'0'.repeat(64)}`,
          containerID: `containerd://${Buffer.from(`${key}/${cname}`).toString('hex').padEnd(64, '0').slice(0, 64)}`,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
          lastState: {},
        };
      }),
      qosClass: 'BestEffort',
    };
    this.client.update('/pods', { ...pod, status }, 'kubelet', 'status');
  }
}
