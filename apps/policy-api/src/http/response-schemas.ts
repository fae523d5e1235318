import type { SchemaObject } from '@nestjs/swagger';

/** OpenAPI schemas of the responses (the request schemas come from the zod schemas of the use cases). */
const str: SchemaObject = { type: 'string' };
const nullableStr: SchemaObject = { type: 'string', nullable: true };
const time: SchemaObject = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, SchemaObject>, required = Object.keys(properties)): SchemaObject => ({
  type: 'object',
  required,
  properties,
});
const anyObject: SchemaObject = { type: 'object', additionalProperties: true };

export const tenantSchema = obj({ id: str, name: str, displayName: str, createdAt: time });
export const tokenSchema = obj({
  id: str,
  name: str,
  role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
  tenantId: nullableStr,
  prefix: str,
  createdAt: time,
  expiresAt: { ...time, nullable: true },
  lastUsedAt: { ...time, nullable: true },
  revokedAt: { ...time, nullable: true },
});
export const createdTokenSchema = obj({
  token: tokenSchema,
  secret: { type: 'string', description: 'The token itself; shown only in this response.' },
});
export const connectionSchema = obj(
  {
    ok: { type: 'boolean' },
    version: str,
    missingKinds: { type: 'array', items: str },
    error: obj({ code: str, message: str }),
  },
  ['ok', 'missingKinds'],
);
export const clusterSchema = obj({
  id: str,
  name: str,
  connection: { type: 'string', enum: ['kubeconfig', 'in-cluster', 'sandbox'] },
  server: nullableStr,
  createdAt: time,
  lastCheckedAt: { ...time, nullable: true },
  lastStatus: { ...anyObject, nullable: true },
});
export const registeredClusterSchema = obj({ cluster: clusterSchema, connection: connectionSchema });
export const claimSchema = obj({ id: str, tenant: str, cluster: str, namespace: str, createdAt: time });
const versionSchema = obj({
  name: str,
  labels: { type: 'object', additionalProperties: str },
  pods: { type: 'integer' },
});
export const serviceSchema = obj({
  id: str,
  cluster: str,
  namespace: str,
  name: str,
  ports: { type: 'array', items: obj({ name: str, port: { type: 'integer' }, protocol: str }, ['port']) },
  versions: { type: 'array', items: versionSchema },
  discoveredAt: time,
  removed: { type: 'boolean' },
});
export const findingSchema = obj(
  {
    code: str,
    severity: { type: 'string', enum: ['error', 'warning', 'info'] },
    message: str,
    path: str,
    host: str,
    policyIds: { type: 'array', items: str },
    object: str,
  },
  ['code', 'severity', 'message', 'path'],
);
export const syncReportSchema: SchemaObject = {
  type: 'array',
  items: obj({
    cluster: str,
    namespaces: { type: 'array', items: str },
    added: { type: 'array', items: str },
    updated: { type: 'array', items: str },
    removed: { type: 'array', items: str },
    unchanged: { type: 'integer' },
  }),
};
export const generatedConfigSchema = obj({
  serviceId: str,
  host: str,
  yaml: { type: 'string', description: 'Multi-document Istio YAML.' },
  emitted: { type: 'boolean' },
  findings: { type: 'array', items: findingSchema },
});
export const explainSchema = obj({
  serviceId: str,
  host: str,
  entries: {
    type: 'array',
    items: obj(
      {
        objectKind: str,
        objectName: str,
        namespace: str,
        jsonPath: str,
        source: { type: 'string', enum: ['policy', 'rollout', 'service'] },
        policyId: str,
        policyRevision: { type: 'integer' },
        policyName: str,
        policyKind: str,
        sourcePath: str,
        rolloutId: str,
        note: str,
      },
      ['objectKind', 'objectName', 'namespace', 'jsonPath', 'source'],
    ),
  },
});
const statusSchema = obj({
  phase: { type: 'string', enum: ['Pending', 'Applied', 'Error'] },
  appliedRevision: { type: 'integer', nullable: true },
  reason: { ...anyObject, nullable: true },
  updatedAt: time,
});
export const policySchema = obj({
  id: str,
  name: str,
  kind: str,
  cluster: str,
  namespace: str,
  serviceId: nullableStr,
  target: anyObject,
  spec: anyObject,
  revision: { type: 'integer' },
  status: statusSchema,
  createdAt: time,
  updatedAt: time,
  createdBy: str,
  updatedBy: str,
});
export const policyWriteSchema = obj({
  policy: policySchema,
  warnings: { type: 'array', items: findingSchema },
});
export const dryRunSchema = obj({
  dryRun: { type: 'boolean', enum: [true] },
  yaml: str,
  diff: { type: 'string', description: 'Unified diff against what is applied now.' },
  findings: { type: 'array', items: findingSchema },
});
export const revisionSchema = obj({
  revision: { type: 'integer' },
  change: { type: 'string', enum: ['create', 'update', 'delete'] },
  name: str,
  kind: str,
  target: anyObject,
  spec: anyObject,
  actor: str,
  reason: nullableStr,
  createdAt: time,
});
export const auditEventSchema = obj({
  id: str,
  seq: { type: 'integer' },
  occurredAt: time,
  actor: str,
  action: str,
  resourceKind: str,
  resourceId: nullableStr,
  requestId: nullableStr,
  reason: nullableStr,
  data: anyObject,
  hash: str,
});
export const chainSchema = obj(
  {
    tenantId: str,
    valid: { type: 'boolean' },
    checked: { type: 'integer' },
    firstBroken: obj({
      id: str,
      seq: { type: 'integer' },
      reason: { type: 'string', enum: ['content-altered', 'link-broken', 'sequence-gap'] },
    }),
    headHash: str,
  },
  ['tenantId', 'valid', 'checked'],
);
export const applyBundleSchema = obj(
  {
    created: { type: 'array', items: str },
    configured: { type: 'array', items: str },
    unchanged: { type: 'array', items: str },
    deleted: { type: 'array', items: str },
    retained: {
      type: 'array',
      items: str,
      description: 'Kept by prune: policies the platform wrote (rollout release pins).',
    },
    dryRun: dryRunSchema,
  },
  ['created', 'configured', 'unchanged', 'deleted', 'retained'],
);
