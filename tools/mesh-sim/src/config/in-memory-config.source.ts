import {
  MESH_KINDS,
  emptySnapshot,
  objectKey,
  type KubeObject,
  type MeshConfigSource,
  type MeshKind,
  type MeshSnapshot,
} from './mesh-config.types.js';

/** In-memory fake of the cluster for unit tests and for running without an API server. */
export class InMemoryConfigSource implements MeshConfigSource {
  version = 0;
  private readonly objects = new Map<MeshKind, Map<string, KubeObject>>(
    MESH_KINDS.map((k) => [k, new Map<string, KubeObject>()]),
  );
  private cached: MeshSnapshot | undefined;
  private nextUid = 1;

  constructor(initial: ReadonlyArray<KubeObject> = []) {
    for (const obj of initial) this.apply(obj);
  }

  /** Creates or replaces an object; its `kind` picks the collection. */
  apply(obj: KubeObject): void {
    const kind = meshKindOf(obj);
    const existing = this.objects.get(kind)!.get(objectKey(obj));
    const metadata = {
      ...obj.metadata,
      uid: obj.metadata?.uid ?? existing?.metadata?.uid ?? `uid-${this.nextUid++}`,
      creationTimestamp:
        obj.metadata?.creationTimestamp ??
        existing?.metadata?.creationTimestamp ??
        new Date(Date.UTC(2026, 0, 1, 0, 0, this.nextUid)).toISOString(),
    };
    this.objects.get(kind)!.set(objectKey(obj), { ...obj, metadata });
    this.changed();
  }

  delete(kind: MeshKind, namespace: string, name: string): boolean {
    const removed = this.objects.get(kind)!.delete(`${namespace}/${name}`);
    if (removed) this.changed();
    return removed;
  }

  snapshot(): MeshSnapshot {
    if (!this.cached) {
      const snap = emptySnapshot();
      for (const kind of MESH_KINDS) snap[kind] = [...this.objects.get(kind)!.values()];
      this.cached = snap;
    }
    return this.cached;
  }

  /** Nothing to connect to: the objects are already here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  private changed(): void {
    this.version++;
    this.cached = undefined;
  }
}

export function meshKindOf(obj: KubeObject): MeshKind {
  const kind = obj.kind as MeshKind | undefined;
  if (kind && (MESH_KINDS as readonly string[]).includes(kind)) return kind;
  throw new Error(
    `mesh-sim does not read objects of kind ${String(obj.kind)}; expected one of ${MESH_KINDS.join(', ')}`,
  );
}
