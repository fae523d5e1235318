import type { GoMap } from '../template/go-value.util.js';

/** Chart.yaml (apiVersion v2), the fields Helm's chart.Metadata knows. */
export interface ChartMetadata {
  readonly apiVersion: string;
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly description?: string;
  readonly type?: string;
  readonly kubeVersion?: string;
  readonly home?: string;
  readonly icon?: string;
  readonly keywords?: readonly string[];
  readonly sources?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface LoadedChart {
  readonly dir: string;
  readonly metadata: ChartMetadata;
  /** values.yaml, read as Helm reads it (every number a float64). */
  readonly values: GoMap;
  /** values.schema.json, when the chart has one. */
  readonly schema: Record<string, unknown> | null;
  /** Files under templates/, keyed by their path relative to templates/ (`_helpers.tpl`). */
  readonly templates: ReadonlyMap<string, string>;
}

export interface ReleaseOptions {
  readonly name: string;
  readonly namespace: string;
  readonly revision?: number;
  readonly isUpgrade?: boolean;
}

export interface RenderOptions {
  readonly release: ReleaseOptions;
  /** User values (`-f` files, then `--set`), merged in order over the chart's values.yaml. */
  readonly values?: readonly GoMap[];
  /** `helm template --kube-version`; defaults to DEFAULT_KUBE_VERSION. */
  readonly kubeVersion?: string;
  /** `helm template --api-versions`: extra entries for .Capabilities.APIVersions.Has. */
  readonly apiVersions?: readonly string[];
}

export interface HookInfo {
  readonly events: readonly string[];
  readonly weight: number;
  readonly deletePolicies: readonly string[];
}

export interface RenderedManifest {
  /** The template that produced it (`heliomesh/templates/deployment.yaml`). */
  readonly source: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly object: Readonly<Record<string, unknown>>;
  /** The document text as rendered. */
  readonly text: string;
  readonly hook: HookInfo | null;
}

export interface RenderedChart {
  /** The values the templates saw: values.yaml coalesced with the user's. */
  readonly values: GoMap;
  /** Rendered text of every non-partial template except NOTES.txt, by template name. */
  readonly files: ReadonlyMap<string, string>;
  /** Regular resources, in Helm's install order. */
  readonly manifests: readonly RenderedManifest[];
  /** Hook resources, ordered by weight then name as Helm runs them. */
  readonly hooks: readonly RenderedManifest[];
  readonly notes: string;
}
