import type { JsonObject, JsonValue, KubeObject } from '../api/object.types.js';
import { badRequest } from '../api/status.util.js';
import type { ResourceType } from '../registry/resource-type.types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRequest {
  /** meta.k8s.io version the client asked for. */
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
}

export function parseIncludeObject(value: string | null): IncludeObject {
  if (value === null || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw badRequest(
    `includeObject: Unsupported value: "${value}": supported values: "None", "Metadata", "Object"`,
  );
}

function rowObject(obj: KubeObject, include: IncludeObject, tableVersion: string): JsonValue | undefined {
  switch (include) {
    case 'None':
      return undefined;
    case 'Object':
      return obj;
    case 'Metadata':
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: `meta.k8s.io/${tableVersion}`,
        metadata: obj.metadata,
      };
  }
}

/**
 * Server-side printing (metav1.Table): the kind's columns and one row per object. `withColumns` is
 * false for watch events after the first, where kubectl reuses the columns it already has.
 */
export function toTable(
  rt: ResourceType,
  version: string,
  objects: KubeObject[],
  req: TableRequest,
  listMeta: JsonObject,
  withColumns = true,
  now = new Date(),
): JsonObject {
  const columns = rt.columns(version);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${req.version}`,
    metadata: listMeta,
    columnDefinitions: withColumns
      ? columns.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format,
          description: c.description,
          priority: c.priority,
        }))
      : [],
    rows: objects.map((obj) => {
      const row: JsonObject = { cells: columns.map((c) => c.cell(obj, now)) };
      const object = rowObject(obj, req.includeObject, req.version);
      if (object !== undefined) row['object'] = object;
      return row;
    }),
  };
}
