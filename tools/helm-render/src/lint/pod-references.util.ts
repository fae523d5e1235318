import { asList, asObj, containers, type Obj } from './manifest-index.util.js';

/** Everything a pod spec names that must exist beside it: ConfigMaps, Secrets, its ServiceAccount. */
export interface PodReference {
  readonly kind: 'ConfigMap' | 'Secret' | 'ServiceAccount';
  readonly name: string;
  /** A single key read from the object (env valueFrom), if any. */
  readonly key?: string;
  /** Path inside the pod spec. */
  readonly path: readonly (string | number)[];
  /** `optional: true` references may point at nothing. */
  readonly optional: boolean;
}

export function podReferences(spec: Obj): PodReference[] {
  const refs: PodReference[] = [];
  const add = (
    kind: PodReference['kind'],
    ref: Obj,
    nameKey: string,
    path: (string | number)[],
    key?: unknown,
  ) => {
    const name = ref[nameKey];
    if (typeof name !== 'string') return;
    refs.push({
      kind,
      name,
      path,
      optional: ref['optional'] === true,
      ...(typeof key === 'string' ? { key } : {}),
    });
  };
  refs.push({
    kind: 'ServiceAccount',
    name: typeof spec['serviceAccountName'] === 'string' ? spec['serviceAccountName'] : 'default',
    path: ['serviceAccountName'],
    optional: false,
  });
  asList(spec['imagePullSecrets']).forEach((s, i) =>
    add('Secret', asObj(s), 'name', ['imagePullSecrets', i]),
  );
  for (const { container, path } of containers(spec)) {
    asList(container['envFrom']).forEach((e, i) => {
      const source = asObj(e);
      add('ConfigMap', asObj(source['configMapRef']), 'name', [...path, 'envFrom', i, 'configMapRef']);
      add('Secret', asObj(source['secretRef']), 'name', [...path, 'envFrom', i, 'secretRef']);
    });
    asList(container['env']).forEach((e, i) => {
      const from = asObj(asObj(e)['valueFrom']);
      const cm = asObj(from['configMapKeyRef']);
      const secret = asObj(from['secretKeyRef']);
      add('ConfigMap', cm, 'name', [...path, 'env', i, 'valueFrom', 'configMapKeyRef'], cm['key']);
      add('Secret', secret, 'name', [...path, 'env', i, 'valueFrom', 'secretKeyRef'], secret['key']);
    });
  }
  asList(spec['volumes']).forEach((v, i) => {
    const volume = asObj(v);
    add('ConfigMap', asObj(volume['configMap']), 'name', ['volumes', i, 'configMap']);
    add('Secret', asObj(volume['secret']), 'secretName', ['volumes', i, 'secret']);
  });
  return refs;
}
