import { GoStruct, type GoMap, type GoValue } from '../template/go-value.util.js';
import type { ChartMetadata, RenderOptions } from './chart.types.js';

/**
 * The objects beside .Values that Helm gives templates. .Release and .Template are maps (a missing
 * field is empty); .Chart and .Capabilities are Go structs (a missing field is an error).
 */

export const DEFAULT_KUBE_VERSION = 'v1.31.0';

/** What `helm template` without a cluster answers for .Capabilities.APIVersions.Has. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'apps/v1',
  'batch/v1',
  'policy/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'storage.k8s.io/v1',
  'scheduling.k8s.io/v1',
];

const METADATA_FIELDS: Record<string, keyof ChartMetadata> = {
  Name: 'name',
  Version: 'version',
  AppVersion: 'appVersion',
  Description: 'description',
  APIVersion: 'apiVersion',
  Type: 'type',
  KubeVersion: 'kubeVersion',
  Home: 'home',
  Icon: 'icon',
  Keywords: 'keywords',
  Sources: 'sources',
  Annotations: 'annotations',
};

function chartStruct(metadata: ChartMetadata): GoStruct {
  const fields: Record<string, GoValue> = {};
  for (const [goName, key] of Object.entries(METADATA_FIELDS)) {
    const value = metadata[key];
    fields[goName] =
      value === undefined
        ? key === 'keywords' || key === 'sources' || key === 'annotations'
          ? null
          : ''
        : (value as GoValue);
  }
  return new GoStruct('*chart.Metadata', fields);
}

function capabilities(kubeVersion: string, extra: readonly string[]): GoStruct {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(kubeVersion);
  if (!m) throw new Error(`kube version ${kubeVersion} is not of the form v1.31.0`);
  const version = `v${m[1]}.${m[2]}.${m[3] ?? '0'}`;
  const apiVersions = [...DEFAULT_API_VERSIONS, ...extra];
  const kube = new GoStruct(
    'chartutil.KubeVersion',
    { Version: version, Major: m[1]!, Minor: m[2]! },
    { GitVersion: { params: [], call: () => version }, String: { params: [], call: () => version } },
    () => version,
  );
  const versionSet = new GoStruct(
    'chartutil.VersionSet',
    {},
    { Has: { params: ['string'], call: ([v]) => apiVersions.includes(v as string) } },
    () => `[${apiVersions.join(' ')}]`,
  );
  return new GoStruct('*chartutil.Capabilities', {
    KubeVersion: kube,
    APIVersions: versionSet,
    HelmVersion: new GoStruct('chartutil.HelmVersion', { Version: 'v3.16.0', GoVersion: 'go1.22' }),
  });
}

/** The top-level data of every template; `Template` is filled in per file. */
export function renderContext(metadata: ChartMetadata, values: GoMap, options: RenderOptions): GoMap {
  const { release } = options;
  return {
    Values: values,
    Release: {
      Name: release.name,
      Namespace: release.namespace,
      Revision: BigInt(release.revision ?? 1),
      IsUpgrade: release.isUpgrade ?? false,
      IsInstall: !(release.isUpgrade ?? false),
      Service: 'Helm',
    },
    Chart: chartStruct(metadata),
    Capabilities: capabilities(options.kubeVersion ?? DEFAULT_KUBE_VERSION, options.apiVersions ?? []),
    Subcharts: {},
  };
}
