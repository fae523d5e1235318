import type { PolicyKind } from '@heliomesh/policy';
import type { IstioKind } from './istio-objects.types.js';

/** Which input produced one field of a generated object. */
export interface ExplainEntry {
  objectKind: IstioKind;
  objectName: string;
  namespace: string;
  /** JSON path of the field in the generated object, e.g. `$.spec.http[0].fault.abort`. */
  jsonPath: string;
  /** `service`: derived from the service itself (hosts, subsets, selectors), not from a policy. */
  source: 'policy' | 'rollout' | 'service';
  policyId?: string;
  policyRevision?: number;
  policyName?: string;
  policyKind?: PolicyKind;
  /** JSON path of the setting inside the policy or rollout. */
  sourcePath?: string;
  rolloutId?: string;
  /** Why this source won, when it is not the route's own setting. */
  note?: string;
}
