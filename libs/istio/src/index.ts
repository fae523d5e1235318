export {
  compile,
  compileHost,
  explain,
  previewPolicy,
  type CompileResult,
} from './compile/compile.compiler.js';
export { compileUnit, type CompileOptions, type HostResult } from './compile/host.compiler.js';
export { CHECK_CATALOGUE, CHECKERS, COMPILER_DEFINITIONS } from './checks/catalogue.util.js';
export type { Checker, CheckContext } from './checks/check.types.js';
export type { CheckArea, CheckDefinition, Finding, Severity } from './checks/finding.types.js';
export { re2Error } from './checks/re2.util.js';
export { cidrError } from './checks/cidr.util.js';
export type { ExplainEntry } from './emit/explain.types.js';
export type {
  AuthorizationPolicy,
  DestinationRule,
  EnvoyFilter,
  IstioKind,
  IstioObject,
  VirtualService,
  WasmPlugin,
} from './emit/istio-objects.types.js';
export { istioSchemaErrors, type SchemaError } from './emit/istio-schema.util.js';
export { SERVICE_LABEL, SOURCES_ANNOTATION, generatedName } from './emit/object-meta.util.js';
export { toYaml } from './emit/yaml.util.js';
export { specificityKey, compareSpecificity } from './model/match.util.js';
export { distributeWeights } from './model/weights.util.js';
export {
  hostOf,
  indexSnapshot,
  isOurs,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  TENANT_LABEL,
  type HostUnit,
  type SnapshotIndex,
} from './snapshot/snapshot-index.util.js';
export type {
  CompileSnapshot,
  ForeignObject,
  MeshService,
  MtlsMode,
  RolloutRoute,
  ServicePort,
  ServiceRef,
  ServiceVersion,
} from './snapshot/snapshot.types.js';
