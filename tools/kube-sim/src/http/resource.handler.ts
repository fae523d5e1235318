import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { listObjects, parseSelectors } from '../api/list.service.js';
import type { ObjectService } from '../api/object.service.js';
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../api/object.types.js';
import { patchTypeOf, type PatchService } from '../api/patch.service.js';
import type { ScaleService } from '../api/scale.service.js';
import { badRequest, methodNotAllowed, unknownPath, unsupportedMediaType } from '../api/status.util.js';
import type { ApiDeps, Target, WriteOptions } from '../api/write.types.js';
import { decodeKubernetesProtobuf } from '../protobuf/k8s-protobuf.decoder.js';
import { ProtobufError } from '../protobuf/protobuf-wire.util.js';
import { groupVersion } from '../registry/resource-type.types.js';
import { parseIncludeObject, toTable, type TableRequest } from '../table/table.util.js';
import type { Negotiated } from './negotiation.util.js';
import type { ResourcePath } from './path.util.js';
import {
  boolParam,
  defaultFieldManager,
  dryRunParam,
  fieldValidationParam,
  intParam,
  readBody,
} from './request.util.js';
import { sendJson } from './response.util.js';
import type { WatchHub } from './watch.hub.js';

export interface ResourceServices {
  deps: ApiDeps;
  objects: ObjectService;
  patches: PatchService;
  scales: ScaleService;
  watches: WatchHub;
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

function targetOf(deps: ApiDeps, p: ResourcePath): Target {
  const rt = deps.registry.lookup(p.group, p.version, p.resource);
  if (!rt) throw unknownPath();
  if (!rt.namespaced && p.namespace) throw unknownPath();
  const sub = p.subresource;
  const allowed = sub === '' || (sub === 'status' && rt.statusSubresource) || (sub === 'scale' && !!rt.scale);
  if (!allowed || (sub && !p.name)) throw unknownPath();
  return {
    rt,
    version: p.version,
    namespace: p.namespace,
    name: p.name,
    subresource: sub as Target['subresource'],
  };
}

export function verbOf(method: string, p: ResourcePath, q: URLSearchParams): Verb | undefined {
  switch (method) {
    case 'GET':
      return boolParam(q, 'watch') ? 'watch' : p.name ? 'get' : 'list';
    case 'POST':
      return p.name ? undefined : 'create';
    case 'PUT':
      return p.name ? 'update' : undefined;
    case 'PATCH':
      return p.name ? 'patch' : undefined;
    case 'DELETE':
      return p.name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function writeOptions(req: IncomingMessage, q: URLSearchParams, verb: Verb): WriteOptions {
  const given = q.get('fieldManager');
  return {
    dryRun: dryRunParam(q),
    fieldManager: given ?? (verb === 'patch' ? '' : defaultFieldManager(req.headers['user-agent'])),
    fieldValidation: fieldValidationParam(q),
    warnings: [],
  };
}

const bodyTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function parseObjectBody(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  try {
    if (type === 'application/json' || type === '') return JSON.parse(body.toString('utf8'));
    if (type === 'application/yaml') return parseYaml(body.toString('utf8')) as unknown;
    // kubectl's typed clients (create namespace, create deployment, run...) send protobuf.
    if (type === 'application/vnd.kubernetes.protobuf') return decodeKubernetesProtobuf(body);
  } catch (err) {
    if (err instanceof ProtobufError)
      throw unsupportedMediaType(bodyTypes.filter((t) => !t.includes('protobuf')));
    throw badRequest(`error decoding body: ${err instanceof Error ? err.message : String(err)}`);
  }
  throw unsupportedMediaType(bodyTypes);
}

function tableRequest(neg: Negotiated, q: URLSearchParams): TableRequest | undefined {
  return neg.table
    ? { version: neg.table, includeObject: parseIncludeObject(q.get('includeObject')) }
    : undefined;
}

function listBody(target: Target, items: KubeObject[], meta: JsonObject): JsonObject {
  const gv = groupVersion(target.rt.group, target.version);
  // Real servers omit kind/apiVersion on the items of built-in lists.
  const shown = target.rt.builtin ? items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) : items;
  return { kind: target.rt.listKind, apiVersion: gv, metadata: meta, items: shown as JsonValue[] };
}

/** Serves one request on a resource URL (after routing and fault injection); resolves to the mutation count. */
export async function handleResource(
  s: ResourceServices,
  req: IncomingMessage,
  res: ServerResponse,
  p: ResourcePath,
  q: URLSearchParams,
  neg: Negotiated,
): Promise<number> {
  const target = targetOf(s.deps, p);
  const verb = verbOf(req.method ?? 'GET', p, q);
  if (!verb) throw methodNotAllowed(req.method ?? '', p.resource);
  // A namespaced resource without a namespace in the URL is only a cluster-wide list or watch.
  if (target.rt.namespaced && !p.namespace) {
    if (p.name) throw unknownPath();
    if (verb !== 'list' && verb !== 'watch') throw methodNotAllowed(req.method ?? '', p.resource);
  }
  const table = tableRequest(neg, q);
  switch (verb) {
    case 'get':
      serveGet(s, res, target, table);
      return 0;
    case 'list':
      serveList(s, res, target, q, table);
      return 0;
    case 'watch':
      s.watches.open(
        {
          target,
          selectors: parseSelectors(target.rt, q.get('labelSelector'), q.get('fieldSelector')),
          resourceVersion: q.get('resourceVersion'),
          bookmarks: boolParam(q, 'allowWatchBookmarks'),
          sendInitialEvents: boolParam(q, 'sendInitialEvents'),
          timeoutSeconds: intParam(q, 'timeoutSeconds'),
          ...(table ? { table } : {}),
        },
        res,
      );
      return 0;
    default:
      return handleWrite(s, req, res, target, verb, q);
  }
}

function serveGet(
  s: ResourceServices,
  res: ServerResponse,
  target: Target,
  table: TableRequest | undefined,
): void {
  if (target.subresource === 'scale') return sendJson(res, 200, s.scales.get(target));
  const obj = s.objects.get(target);
  if (!table) return sendJson(res, 200, obj);
  const meta = { resourceVersion: obj.metadata.resourceVersion };
  sendJson(res, 200, toTable(target.rt, target.version, [obj], table, meta), {
    contentType: tableType(table),
  });
}

function serveList(
  s: ResourceServices,
  res: ServerResponse,
  target: Target,
  q: URLSearchParams,
  table: TableRequest | undefined,
): void {
  const result = listObjects(s.deps, target, {
    selectors: parseSelectors(target.rt, q.get('labelSelector'), q.get('fieldSelector')),
    limit: intParam(q, 'limit'),
    continueToken: q.get('continue'),
    resourceVersion: q.get('resourceVersion'),
    resourceVersionMatch: q.get('resourceVersionMatch'),
  });
  const meta: JsonObject = { resourceVersion: result.resourceVersion };
  if (result.continue) meta['continue'] = result.continue;
  if (result.remainingItemCount !== undefined) meta['remainingItemCount'] = result.remainingItemCount;
  if (table)
    sendJson(res, 200, toTable(target.rt, target.version, result.items, table, meta), {
      contentType: tableType(table),
    });
  else sendJson(res, 200, listBody(target, result.items, meta));
}

function tableType(t: TableRequest): string {
  return `application/json;as=Table;v=${t.version};g=meta.k8s.io`;
}

interface WriteResult {
  status: number;
  body: JsonValue;
}

function executeWrite(
  s: ResourceServices,
  req: IncomingMessage,
  target: Target,
  verb: Verb,
  q: URLSearchParams,
  body: Buffer,
  opts: WriteOptions,
): WriteResult {
  const raw = body.toString('utf8');
  switch (verb) {
    case 'create':
      return {
        status: 201,
        body: s.objects.create(target, parseObjectBody(body, req.headers['content-type']), opts).object,
      };
    case 'update': {
      const obj = parseObjectBody(body, req.headers['content-type']);
      if (target.subresource === 'scale') return { status: 200, body: s.scales.update(target, obj, opts) };
      const r = s.objects.update(target, obj, opts);
      return { status: r.created ? 201 : 200, body: r.object };
    }
    case 'patch': {
      const type = patchTypeOf(req.headers['content-type'] ?? '', target.rt.builtin);
      if (type !== 'apply' && !opts.fieldManager)
        opts.fieldManager = defaultFieldManager(req.headers['user-agent']);
      if (target.subresource === 'scale')
        return { status: 200, body: s.scales.patch(target, type, raw, opts) };
      const r = s.patches.patch(target, { type, raw, force: boolParam(q, 'force') }, opts);
      return { status: r.created ? 201 : 200, body: r.object };
    }
    case 'delete': {
      const options = raw.trim() ? parseObjectBody(body, 'application/json') : {};
      const merged: JsonObject = isJsonObject(options as JsonValue) ? (options as JsonObject) : {};
      const policy = q.get('propagationPolicy');
      if (policy) merged['propagationPolicy'] = policy;
      return s.objects.delete(target, merged, opts);
    }
    case 'deletecollection':
      return deleteCollection(s, target, q, body, opts);
    case 'get':
    case 'list':
    case 'watch':
      throw methodNotAllowed(req.method ?? '', target.rt.plural);
  }
}

function deleteCollection(
  s: ResourceServices,
  target: Target,
  q: URLSearchParams,
  body: Buffer,
  opts: WriteOptions,
): WriteResult {
  const selectors = parseSelectors(target.rt, q.get('labelSelector'), q.get('fieldSelector'));
  const list = listObjects(s.deps, target, {
    selectors,
    limit: 0,
    continueToken: null,
    resourceVersion: null,
    resourceVersionMatch: null,
  });
  const options = body.length > 0 ? parseObjectBody(body, 'application/json') : {};
  const propagation = s.objects.propagation(
    isJsonObject(options as JsonValue) ? (options as JsonObject) : {},
  );
  const deleted = list.items.map((o) => {
    const t: Target = { ...target, name: o.metadata.name, namespace: o.metadata.namespace ?? '' };
    return s.objects.deleteObject(t, s.objects.getStored(t), propagation, opts.dryRun).object;
  });
  return {
    status: 200,
    body: listBody(target, deleted, { resourceVersion: String(s.deps.store.currentRv) }),
  };
}

/** Reads the body, runs the write synchronously and answers; returns how many stored objects changed. */
async function handleWrite(
  s: ResourceServices,
  req: IncomingMessage,
  res: ServerResponse,
  target: Target,
  verb: Verb,
  q: URLSearchParams,
): Promise<number> {
  const opts = writeOptions(req, q, verb);
  const body = await readBody(req);
  const before = s.deps.store.currentRv;
  const result = executeWrite(s, req, target, verb, q, body, opts);
  sendJson(res, result.status, result.body, { warnings: opts.warnings });
  return s.deps.store.currentRv - before;
}
