// Template engine: Go text/template with the Sprig and Helm functions charts use.
export { TemplateSet } from './template/template-set.util.js';
export { TemplateError, type TemplateErrorCode } from './template/template-error.util.js';
export {
  GoStruct,
  formatValue,
  type FunctionContext,
  type GoMap,
  type GoValue,
  type ParamKind,
  type TemplateFunction,
} from './template/go-value.util.js';
export { toYaml, marshalGoYaml } from './template/go-yaml.util.js';
export { parseGoYaml, parseGoYamlDocuments } from './template/go-yaml-parse.util.js';

// Charts: `helm template` without helm.
export { loadChart, loadValuesFile } from './chart/chart-loader.util.js';
export { renderChart } from './chart/chart-render.util.js';
export { coalesceValues, mergeUserValues } from './chart/chart-values.util.js';
export { validateValues, type ValuesIssue } from './chart/values-schema.util.js';
export { satisfiesKubeVersion } from './chart/kube-version.util.js';
export { DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION } from './chart/render-context.util.js';
export { INSTALL_ORDER, splitManifests } from './chart/manifest.util.js';
export type {
  ChartMetadata,
  HookInfo,
  LoadedChart,
  ReleaseOptions,
  RenderOptions,
  RenderedChart,
  RenderedManifest,
} from './chart/chart.types.js';

// Lint: Kubernetes schemas and cross-references of the rendered objects.
export { checkReferences, lintChart, MANIFEST_CHECKERS } from './lint/lint-manifests.util.js';
export { validateKubeSchemas } from './lint/kube-schema.util.js';
export type { ExternalObjects, Finding, LintInput, ManifestChecker } from './lint/lint.types.js';
