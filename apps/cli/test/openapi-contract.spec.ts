import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@heliomesh/testing';
import type {
  ApplyResult,
  AuditEvent,
  DryRunResult,
  GeneratedConfig,
  PolicyView,
  RolloutEvent,
  RolloutView,
  ServiceView,
} from '../src/api/api.types.js';

/**
 * The CLI reads the REST API through hand-written types (apps never import apps). This checks
 * them against the checked-in OpenAPI document, so a renamed field fails here and not in a
 * user's terminal. The `satisfies` lists must name every field of each type (typecheck enforces it).
 */
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
}

const openapi = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/policy-api/openapi.json'), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
};

function response(method: string, path: string, status = '200'): Schema {
  const op = openapi.paths[path]?.[method];
  expect(op, `${method.toUpperCase()} ${path} is in the OpenAPI document`).toBeDefined();
  const content = op!.responses[status]?.content;
  expect(content, `${method.toUpperCase()} ${path} answers ${status} with a body`).toBeDefined();
  return Object.values(content!)[0]!.schema;
}

type Exhaustive<T, L extends readonly (keyof T)[]> = [Exclude<keyof T, L[number]>] extends [never]
  ? L
  : never;
const fields =
  <T>() =>
  <const L extends readonly (keyof T)[]>(list: Exhaustive<T, L>) =>
    list as readonly string[];

const SERVICE = fields<ServiceView>()([
  'id',
  'cluster',
  'namespace',
  'name',
  'ports',
  'versions',
  'discoveredAt',
  'removed',
]);
const POLICY = fields<PolicyView>()([
  'id',
  'name',
  'kind',
  'cluster',
  'namespace',
  'serviceId',
  'target',
  'spec',
  'revision',
  'status',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
]);
const ROLLOUT = fields<RolloutView>()([
  'id',
  'cluster',
  'namespace',
  'service',
  'serviceId',
  'strategy',
  'stable',
  'canary',
  'phase',
  'phaseReason',
  'step',
  'canaryWeight',
  'route',
  'failedChecks',
  'attempt',
  'version',
  'spec',
  'nextTickAt',
  'eta',
  'createdBy',
  'createdAt',
  'updatedAt',
  'finishedAt',
]);
const EVENT = fields<RolloutEvent>()([
  'rolloutId',
  'seq',
  'tick',
  'attempt',
  'type',
  'phase',
  'stepIndex',
  'canaryWeight',
  'actor',
  'message',
  'data',
  'occurredAt',
]);
const AUDIT = fields<AuditEvent>()([
  'id',
  'seq',
  'occurredAt',
  'actor',
  'action',
  'resourceKind',
  'resourceId',
  'reason',
  'data',
]);
const CONFIG = fields<GeneratedConfig>()(['serviceId', 'host', 'yaml', 'emitted', 'findings']);
const APPLY = fields<ApplyResult>()(['created', 'configured', 'unchanged', 'deleted', 'retained', 'dryRun']);
const DRY_RUN = fields<DryRunResult>()(['dryRun', 'yaml', 'diff', 'findings']);

const keys = (s: Schema | undefined) => Object.keys(s?.properties ?? {});

describe('the CLI reads what the REST API documents', () => {
  it.each([
    ['services', 'get', '/v1/services', SERVICE],
    ['policies', 'get', '/v1/policies', POLICY],
    ['rollouts', 'get', '/v1/rollouts', ROLLOUT],
    ['audit events', 'get', '/v1/audit', AUDIT],
  ] as const)('lists of %s', (_what, method, path, list) => {
    expect(keys(response(method, path).properties?.['items']?.items)).toEqual(
      expect.arrayContaining([...list]),
    );
    expect(keys(response(method, path))).toEqual(expect.arrayContaining(['items', 'nextCursor']));
  });

  it('single resources, events, generated config, apply results and dry runs', () => {
    expect(keys(response('get', '/v1/services/{id}'))).toEqual(expect.arrayContaining([...SERVICE]));
    expect(keys(response('get', '/v1/policies/{id}'))).toEqual(expect.arrayContaining([...POLICY]));
    expect(keys(response('get', '/v1/rollouts/{id}'))).toEqual(expect.arrayContaining([...ROLLOUT]));
    expect(keys(response('get', '/v1/rollouts/{id}/events').items)).toEqual(
      expect.arrayContaining([...EVENT]),
    );
    expect(keys(response('get', '/v1/services/{id}/config'))).toEqual(expect.arrayContaining([...CONFIG]));
    const apply = response('post', '/v1/apply');
    expect(keys(apply)).toEqual(expect.arrayContaining([...APPLY]));
    expect(keys(apply.properties!['dryRun'])).toEqual(expect.arrayContaining([...DRY_RUN]));
    expect(keys(response('post', '/v1/rollouts', '201'))).toEqual(
      expect.arrayContaining(['rollout', 'webhookSecret']),
    );
    for (const command of ['pause', 'resume', 'abort', 'retry', 'promote'])
      expect(keys(response('post', `/v1/rollouts/{id}/${command}`))).toEqual(
        expect.arrayContaining(['id', 'phase', 'canaryWeight']),
      );
    expect(openapi.paths['/v1/export']?.['get']).toBeDefined();
    expect(openapi.paths['/v1/policies/{id}']?.['delete']).toBeDefined();
  });
});
