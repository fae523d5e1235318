import { HeliomeshError } from '@heliomesh/util';
import type { HookInfo, RenderedManifest } from './chart.types.js';
import { parseGoYaml } from '../template/go-yaml-parse.util.js';

/** Helm's releaseutil: split rendered files into documents, tell hooks apart, order them. */

/** releaseutil.InstallOrder: the order Helm creates kinds in. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/** releaseutil.SplitManifests: `---` at the start of a line separates documents. */
export function splitManifests(text: string): string[] {
  return text
    .trim()
    .split(/(?:^|\s*\n)---\s*/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

function hookInfo(annotations: Record<string, unknown>): HookInfo | null {
  const hook = annotations['helm.sh/hook'];
  if (typeof hook !== 'string') return null;
  const list = (key: string) =>
    String(annotations[key] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const weight = Number.parseInt(String(annotations['helm.sh/hook-weight'] ?? '0'), 10);
  return {
    events: list('helm.sh/hook'),
    weight: Number.isNaN(weight) ? 0 : weight,
    deletePolicies: list('helm.sh/hook-delete-policy'),
  };
}

function fail(source: string, message: string): never {
  throw new HeliomeshError({
    code: 'MANIFEST_INVALID',
    status: 422,
    message: `${source}: ${message}`,
    path: [source],
  });
}

/** Parses one rendered document; null for a document of comments only. */
export function toManifest(source: string, text: string): RenderedManifest | null {
  const parsed = parseGoYaml(text, source);
  if (parsed === null) return null;
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    fail(source, 'a rendered document is not a YAML mapping');
  const object = parsed as Record<string, unknown>;
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string')
    fail(source, 'a rendered object lacks apiVersion or kind');
  if (typeof metadata['name'] !== 'string') fail(source, `a rendered ${kind} lacks metadata.name`);
  const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
  const annotations = (metadata['annotations'] ?? {}) as Record<string, unknown>;
  return {
    source,
    apiVersion,
    kind,
    name: metadata['name'],
    namespace,
    object,
    text,
    hook: hookInfo(annotations),
  };
}

function kindRank(kind: string): number {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? INSTALL_ORDER.length : i;
}

export function sortForInstall(manifests: readonly RenderedManifest[]): RenderedManifest[] {
  return [...manifests].sort(
    (a, b) =>
      kindRank(a.kind) - kindRank(b.kind) ||
      a.kind.localeCompare(b.kind) ||
      a.source.localeCompare(b.source) ||
      a.name.localeCompare(b.name),
  );
}

export function sortHooks(hooks: readonly RenderedManifest[]): RenderedManifest[] {
  // Helm runs hooks by weight, then name (hookByWeight).
  return [...hooks].sort(
    (a, b) =>
      a.hook!.weight - b.hook!.weight || a.name.localeCompare(b.name) || kindRank(a.kind) - kindRank(b.kind),
  );
}
