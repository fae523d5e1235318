import type { JsonPath } from '@heliomesh/util';

export type Severity = 'error' | 'warning' | 'info';

export type CheckArea = 'schema' | 'mesh' | 'routing' | 'destination' | 'security' | 'edge' | 'conflict';

/** One entry of the validation catalogue: a stable code and what it means. */
export interface CheckDefinition {
  code: string;
  severity: Severity;
  area: CheckArea;
  title: string;
  /** What the finding means and what to do about it (the README table's text). */
  meaning: string;
}

/**
 * A problem found while compiling. `path` is a JSON path into the policy named by `policyIds[0]`
 * (or into the rollout, the snapshot service, or the generated `object`).
 */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  path: string;
  host?: string;
  policyIds?: string[];
  rolloutId?: string;
  /** `Kind namespace/name` of the generated or foreign object the path points into. */
  object?: string;
}

/** What a checker reports; the catalogue entry supplies code and severity. */
export interface FindingDraft {
  message: string;
  path?: JsonPath;
  policyIds?: string[];
  rolloutId?: string;
  object?: string;
}
