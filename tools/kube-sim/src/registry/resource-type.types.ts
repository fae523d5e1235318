import type { FieldError } from '../api/status.util.js';
import type { JsonObject, KubeObject } from '../api/object.types.js';
import type { SchemaNode } from '../schema/schema.types.js';

/** A column of Table output (metav1.TableColumnDefinition) plus how to compute its cell. */
export interface PrinterColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  cell(obj: KubeObject, now: Date): string | number | boolean | null;
}

/** Per-kind behaviour that a real API server keeps in each registry strategy. */
export interface KindStrategy {
  /** Fills defaults on a new or updated object (mutates its argument, a private copy). */
  defaults?(obj: JsonObject, ctx: StrategyContext): void;
  /** Resets fields a client may not set on create (status, generated fields). */
  prepareForCreate?(obj: JsonObject, ctx: StrategyContext): void;
  /** Carries over fields a client may not change on update of the main resource. */
  prepareForUpdate?(obj: JsonObject, old: KubeObject): void;
  validate?(obj: JsonObject, old: KubeObject | undefined): FieldError[];
}

/** Server-wide allocators strategies may use (cluster IPs and the like). */
export interface StrategyContext {
  allocateClusterIp(): string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** How metadata.generation moves (see the spec: generation rules per kind). */
export type GenerationPolicy = 'none' | 'spec' | 'spec-and-annotations' | 'all-but-metadata';

/** Everything the server knows about one resource (one group and plural, all its versions). */
export interface ResourceType {
  /** Store and registry key: `group/plural`. */
  key: string;
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  storageVersion: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  statusSubresource: boolean;
  scale?: ScaleSubresource;
  /** Built-ins accept strategic merge patch; custom resources answer 415. */
  builtin: boolean;
  generation: GenerationPolicy;
  /** PUT on a missing object creates it (Service). */
  allowCreateOnUpdate: boolean;
  /** Status writes may also change annotations (the Deployment controller records revisions so). */
  statusUpdatesAnnotations: boolean;
  /** DELETE answers with the object rather than a Success Status (Pod). */
  deleteReturnsObject: boolean;
  schema(version: string): SchemaNode;
  columns(version: string): PrinterColumn[];
  /** Field selector fields beyond metadata.name and metadata.namespace. */
  selectableFields: Record<string, (obj: KubeObject) => string | undefined>;
  /** Core-group kinds say `field label not supported: x`; others list the supported fields. */
  fieldSelectorErrorStyle: 'core' | 'custom';
  strategy: KindStrategy;
  /** Validates a custom resource against the structural schema or a precompiled validator. */
  validateCustom?(obj: JsonObject, version: string): FieldError[];
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}
