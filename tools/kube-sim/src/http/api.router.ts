import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '@heliomesh/util';
import { internalError, KubeStatusError, unknownPath } from '../api/status.util.js';
import {
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from '../discovery/discovery.util.js';
import type { OpenApiDocs } from '../discovery/openapi.util.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import { negotiate, type Negotiated } from './negotiation.util.js';
import { parseApiPath, type ApiPath } from './path.util.js';
import type { RequestRecord, RequestStats } from './request-stats.js';
import { handleResource, verbOf, type ResourceServices } from './resource.handler.js';
import { sendJson, sendText } from './response.util.js';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface RouterDeps extends ResourceServices {
  openapi: OpenApiDocs;
  faults: FaultInjector;
  stats: RequestStats;
  /** Requests left hanging by an injected timeout, so stop() can cut them. */
  hanging: Set<ServerResponse>;
  serverAddress(): string;
}

const aggregatedType = (v: string) =>
  `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

function serveDiscovery(d: RouterDeps, res: ServerResponse, path: ApiPath, neg: Negotiated): void {
  switch (path.kind) {
    case 'version':
      return sendJson(res, 200, VERSION_INFO);
    case 'health':
      return sendText(res, 200, 'ok');
    case 'api':
      if (neg.aggregated)
        return sendJson(res, 200, aggregatedDiscovery(d.deps.registry, true, neg.aggregated), {
          contentType: aggregatedType(neg.aggregated),
        });
      return sendJson(res, 200, apiVersions(d.serverAddress()));
    case 'apis':
      if (neg.aggregated)
        return sendJson(res, 200, aggregatedDiscovery(d.deps.registry, false, neg.aggregated), {
          contentType: aggregatedType(neg.aggregated),
        });
      return sendJson(res, 200, apiGroupList(d.deps.registry));
    case 'group': {
      const doc = apiGroupDoc(d.deps.registry, path.group);
      if (!doc) throw unknownPath();
      return sendJson(res, 200, doc);
    }
    case 'group-version': {
      const doc = apiResourceList(d.deps.registry, path.group, path.version);
      if (!doc) throw unknownPath();
      return sendJson(res, 200, doc);
    }
    case 'openapi-v3-root':
      return sendJson(res, 200, d.openapi.root());
    case 'openapi-v3-gv': {
      const doc = d.openapi.groupVersion(path.group, path.version);
      if (!doc) throw unknownPath();
      return sendJson(res, 200, doc);
    }
    case 'openapi-v2':
    case 'unknown':
    case 'resource':
      throw unknownPath();
  }
}

/** Injects a configured fault; true when the request was answered (or left hanging) by it. */
function injectFault(d: RouterDeps, req: IncomingMessage, res: ServerResponse): boolean {
  switch (d.faults.decide()) {
    case undefined:
      return false;
    case '429':
      sendJson(
        res,
        429,
        new KubeStatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
          retryAfterSeconds: d.faults.retryAfterSeconds,
        }).toStatus(),
        { headers: { 'Retry-After': String(d.faults.retryAfterSeconds) } },
      );
      return true;
    case '500':
      sendJson(res, 500, internalError('injected fault (kube-sim fault injection)').toStatus());
      return true;
    case 'timeout':
      req.resume();
      d.hanging.add(res);
      res.on('close', () => d.hanging.delete(res));
      return true;
  }
}

function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof KubeStatusError) {
    const retry = err.statusDetails?.retryAfterSeconds;
    sendJson(res, err.status, err.toStatus(), retry ? { headers: { 'Retry-After': String(retry) } } : {});
    return;
  }
  process.stderr.write(
    `kube-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : errorMessage(err)}\n`,
  );
  sendJson(res, 500, internalError(errorMessage(err)).toStatus());
}

/** Serves one HTTP request: discovery and OpenAPI, or a resource request (faults, then the handlers). */
export async function routeRequest(d: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kube-sim');
  const path = parseApiPath(url.pathname);
  const record: RequestRecord = {
    method: req.method ?? 'GET',
    path: url.pathname,
    status: 0,
    dryRun: url.searchParams.has('dryRun'),
    mutations: 0,
  };
  if (path.kind === 'resource') {
    const p = path.path;
    Object.assign(record, {
      group: p.group,
      resource: p.resource,
      namespace: p.namespace,
      name: p.name,
      subresource: p.subresource,
      verb: verbOf(record.method, p, url.searchParams),
    });
  }
  try {
    const neg = negotiate(req.headers['accept']);
    const faultable = path.kind === 'resource' || d.faults.includeDiscovery;
    if (faultable && injectFault(d, req, res)) return;
    if (path.kind !== 'resource') serveDiscovery(d, res, path, neg);
    else record.mutations = await handleResource(d, req, res, path.path, url.searchParams, neg);
  } catch (err) {
    sendError(res, err);
  } finally {
    record.status = res.headersSent ? res.statusCode : 0;
    d.stats.record(record);
  }
}
