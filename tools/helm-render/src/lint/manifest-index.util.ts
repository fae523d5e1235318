import { formatJsonPath, type JsonPath } from '@heliomesh/util';
import type { RenderedManifest } from '../chart/chart.types.js';
import type { Finding } from './lint.types.js';

/** Helpers shared by the checkers: object ids, pod templates, label selectors. */

export type Obj = Record<string, unknown>;

export const asObj = (v: unknown): Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asLabels = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asObj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

export function objectId(m: RenderedManifest): string {
  return m.namespace ? `${m.kind}/${m.namespace}/${m.name}` : `${m.kind}/${m.name}`;
}

export function finding(rule: string, m: RenderedManifest, path: JsonPath, message: string): Finding {
  return { rule, object: objectId(m), path: formatJsonPath(path), message };
}

export interface PodTemplate {
  readonly owner: RenderedManifest;
  /** Path of the pod spec inside the owner. */
  readonly specPath: readonly (string | number)[];
  readonly labels: Record<string, string>;
  readonly spec: Obj;
}

/** The pod templates of workload objects, wherever each kind keeps its template. */
export function podTemplates(manifests: readonly RenderedManifest[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const m of manifests) {
    const spec = asObj(m.object['spec']);
    let path: string[] | null = null;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(m.kind))
      path = ['spec', 'template'];
    if (m.kind === 'CronJob') path = ['spec', 'jobTemplate', 'spec', 'template'];
    if (m.kind === 'Pod') {
      out.push({
        owner: m,
        specPath: ['spec'],
        labels: asLabels(asObj(m.object['metadata'])['labels']),
        spec,
      });
      continue;
    }
    if (!path) continue;
    let template: unknown = m.object;
    for (const key of path) template = asObj(template)[key];
    out.push({
      owner: m,
      specPath: [...path, 'spec'],
      labels: asLabels(asObj(asObj(template)['metadata'])['labels']),
      spec: asObj(asObj(template)['spec']),
    });
  }
  return out;
}

/** A LabelSelector (matchLabels and matchExpressions) against a label set. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const s = asObj(selector);
  const matchLabels = asLabels(s['matchLabels']);
  const expressions = asList(s['matchExpressions']).map(asObj);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return expressions.every((e) => {
    const key = String(e['key']);
    const values = asList(e['values']).map(String);
    switch (e['operator']) {
      case 'In':
        return key in labels && values.includes(labels[key]!);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return false;
    }
  });
}

export function containers(spec: Obj): { container: Obj; path: (string | number)[] }[] {
  const out: { container: Obj; path: (string | number)[] }[] = [];
  for (const field of ['initContainers', 'containers']) {
    asList(spec[field]).forEach((c, i) => out.push({ container: asObj(c), path: [field, i] }));
  }
  return out;
}

export function findManifest(
  manifests: readonly RenderedManifest[],
  kind: string,
  name: string,
  namespace: string | undefined,
): RenderedManifest | undefined {
  return manifests.find(
    (m) => m.kind === kind && m.name === name && (namespace === undefined || m.namespace === namespace),
  );
}
