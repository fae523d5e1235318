import type { ObjectStore } from '../store/object.store.js';
import type { ResourceRegistry } from '../registry/resource.registry.js';
import type { ResourceType, StrategyContext } from '../registry/resource-type.types.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options every write carries (query parameters and the caller's identity). */
export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** Warnings to return in `Warning` headers. */
  warnings: string[];
}

/** Where a request points: one resource type and version, maybe a namespace, name and subresource. */
export interface Target {
  rt: ResourceType;
  version: string;
  /** '' for cluster-scoped resources or cluster-wide lists. */
  namespace: string;
  name: string;
  subresource: '' | 'status' | 'scale';
}

/** Test hook: answers 409 to the next update of a named object (see FaultControl.failNextUpdate). */
export interface UpdateFaults {
  takeFailNextUpdate(rt: ResourceType, namespace: string, name: string): boolean;
}

export interface ApiDeps {
  store: ObjectStore;
  registry: ResourceRegistry;
  strategyContext: StrategyContext;
  faults: UpdateFaults;
}
