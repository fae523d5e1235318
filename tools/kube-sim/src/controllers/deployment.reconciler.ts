import {
  getPath,
  isJsonObject,
  jsonEqual,
  nowTimestamp,
  type JsonObject,
  type KubeObject,
} from '../api/object.types.js';
import type { StoreEvent } from '../store/object.store.js';
import type { Reconciler } from './controller-manager.js';
import { controllerOf, controllerRef, isDeleting, nsName, splitNsName } from './owner.util.js';
import type { SystemClient } from './system.client.js';
import { labelsOf, mergeConditions, num, podTemplateHash } from './workload.util.js';

const deployKey = 'apps/deployments';
const rsKey = 'apps/replicasets';
const manager = 'kube-controller-manager';
const revisionAnnotation = 'deployment.kubernetes.io/revision';

function revisionOf(rs: KubeObject): number {
  return Number(labelsOf(rs, ['metadata', 'annotations'])[revisionAnnotation] ?? 0);
}

function maxUnavailable(d: KubeObject, desired: number): number {
  const v = getPath(d, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) return Math.floor((desired * Number(v.slice(0, -1))) / 100);
  return getPath(d, ['spec', 'strategy', 'type']) === 'Recreate' ? desired : Math.floor(desired / 4);
}

/** Available and Progressing, as `kubectl rollout status` and `kubectl wait` read them. */
function deploymentConditions(
  live: KubeObject,
  desired: number,
  counts: { replicas: number; available: number; updated: number },
  rsName: string,
): JsonObject[] {
  const now = nowTimestamp();
  const minAvailable = counts.available >= desired - maxUnavailable(live, desired);
  const complete = counts.updated === desired && counts.replicas === desired && counts.available === desired;
  return mergeConditions(getPath(live, ['status', 'conditions']), [
    {
      type: 'Available',
      status: minAvailable ? 'True' : 'False',
      lastUpdateTime: now,
      lastTransitionTime: now,
      reason: minAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: minAvailable
        ? 'Deployment has minimum availability.'
        : 'Deployment does not have minimum availability.',
    },
    {
      type: 'Progressing',
      status: 'True',
      lastUpdateTime: now,
      lastTransitionTime: now,
      reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
      message: complete
        ? `ReplicaSet "${rsName}" has successfully progressed.`
        : `ReplicaSet "${rsName}" is progressing.`,
    },
  ]);
}

/**
 * A compressed Deployment controller: one ReplicaSet per pod template (named by pod-template-hash),
 * the new one scaled to `spec.replicas`, old ones scaled to zero once the new one is available, old
 * revisions pruned to `revisionHistoryLimit`, and the status `kubectl rollout status` reads.
 */
export class DeploymentReconciler implements Reconciler {
  readonly name = 'deployment';

  constructor(private readonly client: SystemClient) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.key === deployKey)
      return ev.type === 'DELETED' ? [] : [nsName(ev.object.metadata.namespace, ev.object.metadata.name)];
    if (ev.key !== rsKey) return [];
    const owner = controllerOf(ev.object);
    return owner?.kind === 'Deployment' ? [nsName(ev.object.metadata.namespace, owner.name)] : [];
  }

  reconcile(key: string): void {
    const [ns, name] = splitNsName(key);
    const d = this.client.get(deployKey, ns, name);
    if (!d || isDeleting(d)) return;
    const template = getPath(d, ['spec', 'template']) as JsonObject;
    const hash = podTemplateHash(template);
    const owned = this.client.list(rsKey, ns).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
    const desired = num(getPath(d, ['spec', 'replicas']), 1);
    let current = owned.find((rs) => labelsOf(rs, ['metadata', 'labels'])['pod-template-hash'] === hash);
    const latest = Math.max(0, ...owned.map(revisionOf));
    if (!current) {
      current = this.createReplicaSet(d, template, hash, desired, latest + 1);
      if (!current) return;
    } else if (revisionOf(current) < latest) {
      // A rollback to an older template reuses its ReplicaSet, which becomes the newest revision.
      const annotations = {
        ...labelsOf(current, ['metadata', 'annotations']),
        [revisionAnnotation]: String(latest + 1),
      };
      this.client.update(rsKey, { ...current, metadata: { ...current.metadata, annotations } }, manager);
      return;
    } else if (
      num(getPath(current, ['spec', 'replicas'])) !== desired &&
      getPath(d, ['spec', 'paused']) !== true
    ) {
      this.client.update(
        rsKey,
        { ...current, spec: { ...(current['spec'] as JsonObject), replicas: desired } },
        manager,
      );
    }
    const newAvailable = num(getPath(current, ['status', 'availableReplicas']));
    const old = owned.filter((rs) => rs.metadata.uid !== current!.metadata.uid);
    if (newAvailable >= desired)
      for (const rs of old)
        if (num(getPath(rs, ['spec', 'replicas'])) > 0)
          this.client.update(rsKey, { ...rs, spec: { ...(rs['spec'] as JsonObject), replicas: 0 } }, manager);
    this.pruneHistory(d, old);
    this.updateStatus(d, current, owned, desired, revisionOf(current));
  }

  private createReplicaSet(
    d: KubeObject,
    template: JsonObject,
    hash: string,
    replicas: number,
    revision: number,
  ): KubeObject | undefined {
    const tmeta = isJsonObject(template['metadata']) ? template['metadata'] : {};
    const labels = { ...labelsOf(template, ['metadata', 'labels']), 'pod-template-hash': hash };
    const selector = isJsonObject(getPath(d, ['spec', 'selector']))
      ? structuredClone(getPath(d, ['spec', 'selector']) as JsonObject)
      : {};
    selector['matchLabels'] = { ...labelsOf(selector, ['matchLabels']), 'pod-template-hash': hash };
    return this.client.create(
      rsKey,
      d.metadata.namespace,
      {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace ?? '',
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
            [revisionAnnotation]: String(revision),
          },
          ownerReferences: [controllerRef(d)],
        },
        spec: { replicas, selector, template: { ...template, metadata: { ...tmeta, labels } } },
      },
      manager,
    );
  }

  private pruneHistory(d: KubeObject, old: KubeObject[]): void {
    const limit = num(getPath(d, ['spec', 'revisionHistoryLimit']), 10);
    const idle = old.filter(
      (rs) => num(getPath(rs, ['spec', 'replicas'])) === 0 && num(getPath(rs, ['status', 'replicas'])) === 0,
    );
    idle.sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) this.client.delete(rsKey, rs);
  }

  /** Writes status, and the revision annotation with it (a status write, so generation stays put). */
  private updateStatus(
    d: KubeObject,
    current: KubeObject,
    owned: KubeObject[],
    desired: number,
    revision: number,
  ): void {
    const live = this.client.get(deployKey, d.metadata.namespace, d.metadata.name);
    if (!live) return;
    const sum = (path: string[]) => owned.reduce((n, rs) => n + num(getPath(rs, path)), 0);
    const replicas = sum(['status', 'replicas']);
    const ready = sum(['status', 'readyReplicas']);
    const available = sum(['status', 'availableReplicas']);
    const updated = num(getPath(current, ['status', 'replicas']));
    const conditions = deploymentConditions(
      live,
      desired,
      { replicas, available, updated },
      current.metadata.name,
    );
    const status: JsonObject = {
      observedGeneration: num(live.metadata['generation'], 1),
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      conditions,
    };
    if (desired - available > 0) status['unavailableReplicas'] = desired - available;
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const)
      if (status[k] === 0) delete status[k];
    const annotations = {
      ...labelsOf(live, ['metadata', 'annotations']),
      [revisionAnnotation]: String(revision),
    };
    if (jsonEqual(live['status'], status) && jsonEqual(live.metadata['annotations'], annotations)) return;
    this.client.update(
      deployKey,
      { ...live, metadata: { ...live.metadata, annotations }, status },
      manager,
      'status',
    );
  }
}
