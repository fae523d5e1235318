import { createHash } from 'node:crypto';
import type { JsonObject } from '../api/object.types.js';
import type { ResourceRegistry } from '../registry/resource.registry.js';
import { groupVersion, type ResourceType } from '../registry/resource-type.types.js';

function queryParam(name: string): JsonObject {
  return { name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } };
}

function writeOp(
  rt: ResourceType,
  version: string,
  action: string,
  params: string[],
  body?: JsonObject,
): JsonObject {
  return {
    operationId: `${action}${rt.kind}`,
    parameters: params.map(queryParam),
    ...(body ? { requestBody: body } : {}),
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
    },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: rt.group, version, kind: rt.kind },
  };
}

function jsonBody(types: string[]): JsonObject {
  return {
    content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])),
    required: true,
  };
}

function pathsOf(rt: ResourceType, version: string): Record<string, JsonObject> {
  const base = rt.group ? `/apis/${rt.group}/${version}` : `/api/${version}`;
  const collection = rt.namespaced ? `${base}/namespaces/{namespace}/${rt.plural}` : `${base}/${rt.plural}`;
  const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'];
  // Strategic merge patch is deliberately not listed: kubectl would then compute its patches from
  // components.schemas, which this minimal document does not carry; without it kubectl uses its
  // compiled-in types for built-ins and JSON merge patch for custom resources.
  const patchBody = jsonBody([
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ]);
  const item: JsonObject = {
    get: writeOp(rt, version, 'get', []),
    put: writeOp(rt, version, 'put', writeParams, jsonBody(['application/json'])),
    patch: writeOp(rt, version, 'patch', [...writeParams, 'force'], patchBody),
    delete: writeOp(rt, version, 'delete', ['dryRun', 'gracePeriodSeconds', 'propagationPolicy']),
  };
  const paths: Record<string, JsonObject> = {
    [collection]: {
      get: writeOp(rt, version, 'list', []),
      post: writeOp(rt, version, 'post', writeParams, jsonBody(['application/json'])),
    },
    [`${collection}/{name}`]: item,
  };
  if (rt.statusSubresource)
    paths[`${collection}/{name}/status`] = { ...item, delete: undefined } as unknown as JsonObject;
  return JSON.parse(JSON.stringify(paths)) as Record<string, JsonObject>;
}

/**
 * The minimal OpenAPI v3 documents kubectl needs to leave validation to the server: for every
 * resource a PATCH operation with the GVK extension and a `fieldValidation` parameter.
 */
export class OpenApiDocs {
  private cachedAt = -1;
  private docs = new Map<string, { doc: JsonObject; hash: string }>();

  constructor(private readonly registry: ResourceRegistry) {}

  private refresh(): void {
    if (this.cachedAt === this.registry.version) return;
    this.docs = new Map();
    for (const g of this.registry.groups()) {
      for (const v of g.versions) {
        const paths: Record<string, JsonObject> = {};
        for (const rt of this.registry.inGroupVersion(g.name, v)) Object.assign(paths, pathsOf(rt, v));
        const doc: JsonObject = {
          openapi: '3.0.0',
          info: { title: 'Kubernetes', version: 'v1.32.0' },
          paths,
          components: { schemas: {} },
        };
        const hash = createHash('sha512')
          .update(JSON.stringify(doc))
          .digest('hex')
          .slice(0, 128)
          .toUpperCase();
        this.docs.set(groupVersion(g.name, v), { doc, hash });
      }
    }
    this.cachedAt = this.registry.version;
  }

  root(): JsonObject {
    this.refresh();
    const paths: JsonObject = {};
    for (const [gv, { hash }] of this.docs) {
      const key = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
    return { paths };
  }

  groupVersion(group: string, version: string): JsonObject | undefined {
    this.refresh();
    return this.docs.get(groupVersion(group, version))?.doc;
  }
}
