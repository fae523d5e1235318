import type { RenderedManifest } from '../chart/chart.types.js';

/** One broken rule in one rendered object. */
export interface Finding {
  /** The checker's rule id, e.g. `service-selector`. */
  readonly rule: string;
  /** `Kind/namespace/name` (cluster-scoped objects have no namespace part). */
  readonly object: string;
  /** JSON path inside the object, e.g. `$.spec.selector`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Objects a chart may refer to without rendering them, because the user creates them (an
 * existingSecret, a password Secret, a ServiceAccount when serviceAccounts.create is false).
 */
export interface ExternalObjects {
  readonly secrets?: readonly string[];
  readonly configMaps?: readonly string[];
  readonly serviceAccounts?: readonly string[];
}

export interface LintInput {
  /** Regular resources and hooks together. */
  readonly manifests: readonly RenderedManifest[];
  readonly external: ExternalObjects;
}

/** One rule, Kiali style: a checker looks at the whole rendered set and reports what breaks it. */
export interface ManifestChecker {
  readonly rule: string;
  check(input: LintInput): Finding[];
}
