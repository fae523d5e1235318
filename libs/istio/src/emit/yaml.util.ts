import { stringify } from 'yaml';
import type { IstioKind, IstioObject } from './istio-objects.types.js';

/** Apply order: routing targets (DestinationRule subsets) before the routes that use them. */
const KIND_ORDER: Record<IstioKind, number> = {
  DestinationRule: 0,
  VirtualService: 1,
  AuthorizationPolicy: 2,
  EnvoyFilter: 3,
  WasmPlugin: 4,
};

export function compareObjects(a: IstioObject, b: IstioObject): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    cmp(a.metadata.namespace, b.metadata.namespace) ||
    cmp(a.metadata.name, b.metadata.name)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Multi-document YAML, objects sorted by kind, namespace and name. Objects are built with a fixed
 * key order (spec keys sorted), so the same snapshot in any input order gives the same bytes.
 */
export function toYaml(objects: readonly IstioObject[]): string {
  return (
    [...objects]
      .sort(compareObjects)
      // YAML 1.1 quoting: Kubernetes decodes YAML 1.1, where a bare `on` or `yes` is a boolean.
      .map((o) => stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
      .join('---\n')
  );
}
