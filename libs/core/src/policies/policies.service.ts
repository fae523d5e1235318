import type { DataSource, EntityManager } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { inTenantTx, PolicyEntity, PolicyRevisionEntity } from '@heliomesh/db';
import type { Finding } from '@heliomesh/istio';
import { parsePolicyBody, policyValidationError, POLICY_KINDS, type PolicyBody } from '@heliomesh/policy';
import { HeliomeshError } from '@heliomesh/util';
import { assertId, badRequest, invalid, notFound } from '../common/errors.util.js';
import { decodeCursor, type Page, pageSize, toPage } from '../common/pagination.util.js';
import type { RequestContext, TenantRequestContext } from '../common/request-context.types.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';
import {
  type Change,
  type ChangeOutcome,
  type DryRunResult,
  PolicyChangeService,
} from './policy-change.service.js';
import { type PolicyRevisionView, type PolicyView, toPolicyView, toRevisionView } from './policy.dto.js';
import { resolveCluster } from './policy-targets.util.js';

export interface PolicyWriteResult {
  policy: PolicyView;
  warnings: Finding[];
}

export interface PolicyListFilter {
  serviceId?: string;
  kind?: string;
  namespace?: string;
  limit?: number;
  cursor?: string;
}

/** Policy use cases, shared by the REST API, the GraphQL gateway and GitOps apply. */
export class PoliciesService {
  private readonly changes: PolicyChangeService;

  constructor(private readonly db: DataSource) {
    this.changes = new PolicyChangeService(db);
  }

  async create(
    rawCtx: RequestContext,
    input: unknown,
    opts: { dryRun?: boolean } = {},
  ): Promise<PolicyWriteResult | DryRunResult> {
    const ctx = this.writer(rawCtx);
    const body = parseBody(input);
    const { cluster, exists } = await inTenantTx(this.db, ctx.tenantId, async (m) => {
      const found = await resolveCluster(m, body.target.namespace, body.target.cluster);
      const taken = await m
        .getRepository(PolicyEntity)
        .existsBy({ clusterId: found.id, namespace: body.target.namespace, name: body.name });
      return { cluster: found, exists: taken };
    });
    if (exists)
      throw new HeliomeshError({
        code: 'POLICY_EXISTS',
        status: 409,
        message: `A policy named "${body.name}" already exists in namespace "${body.target.namespace}"; update it (PUT) or choose another name.`,
        path: ['name'],
      });
    return this.finish(
      await this.changes.run(ctx, [{ type: 'create', body, cluster }], opts.dryRun ?? false),
      cluster.name,
    );
  }

  async update(
    rawCtx: RequestContext,
    id: string,
    input: unknown,
    opts: { expectedRevision?: number; dryRun?: boolean },
  ): Promise<PolicyWriteResult | DryRunResult> {
    const ctx = this.writer(rawCtx);
    const body = parseBody(input);
    const plan = async (m: EntityManager): Promise<Change[]> => {
      const existing = await this.find(m, id);
      checkRevision(existing, opts.expectedRevision, true);
      if (body.kind !== existing.kind)
        throw invalid(
          'IMMUTABLE_FIELD',
          `The kind of a policy cannot change (it is ${existing.kind}); create a new policy instead.`,
          ['kind'],
        );
      if (body.name !== existing.name)
        throw invalid(
          'IMMUTABLE_FIELD',
          `The name of a policy cannot change (it is "${existing.name}"); create a new policy instead.`,
          ['name'],
        );
      const cluster = await resolveCluster(m, body.target.namespace, body.target.cluster);
      clusterName = cluster.name;
      return [{ type: 'update', body, cluster, existing }];
    };
    let clusterName = '';
    const result = await this.changes.run(ctx, plan, opts.dryRun ?? false);
    return this.finish(result, clusterName);
  }

  async delete(
    rawCtx: RequestContext,
    id: string,
    opts: { expectedRevision?: number; dryRun?: boolean },
  ): Promise<{ deleted: true; id: string } | DryRunResult> {
    const ctx = this.writer(rawCtx);
    const existing = await this.load(ctx, id);
    checkRevision(existing, opts.expectedRevision, false);
    const cluster = await inTenantTx(this.db, ctx.tenantId, (m) =>
      m
        .query(`SELECT id, name FROM clusters WHERE id = $1`, [existing.clusterId])
        .then((r: Array<{ id: string; name: string }>) => r[0]!),
    );
    const result = await this.changes.run(ctx, [{ type: 'delete', existing, cluster }], opts.dryRun ?? false);
    return 'dryRun' in result ? result : { deleted: true, id };
  }

  async get(rawCtx: RequestContext, id: string): Promise<PolicyView> {
    const ctx = this.reader(rawCtx);
    const policy = await this.load(ctx, id);
    return toPolicyView(policy, await this.clusterName(ctx, policy.clusterId));
  }

  async list(rawCtx: RequestContext, filter: PolicyListFilter): Promise<Page<PolicyView>> {
    const ctx = this.reader(rawCtx);
    const size = pageSize(filter.limit);
    const after = decodeCursor(filter.cursor);
    if (filter.kind !== undefined && !(POLICY_KINDS as readonly string[]).includes(filter.kind))
      throw badRequest(
        'KIND_UNKNOWN',
        `Unknown policy kind "${filter.kind}"; one of ${POLICY_KINDS.join(', ')}.`,
        ['query', 'kind'],
      );
    if (filter.serviceId !== undefined) assertId('service', filter.serviceId);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const q = m
        .getRepository(PolicyEntity)
        .createQueryBuilder('p')
        .orderBy('p.created_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .take(size + 1);
      if (filter.serviceId) q.andWhere('p.service_id = :serviceId', { serviceId: filter.serviceId });
      if (filter.kind) q.andWhere('p.kind = :kind', { kind: filter.kind });
      if (filter.namespace) q.andWhere('p.namespace = :namespace', { namespace: filter.namespace });
      if (after)
        q.andWhere('(p.created_at, p.id) > (:key::timestamptz, :id::uuid)', { key: after.key, id: after.id });
      const rows = await q.getMany();
      const names = await clusterNames(m);
      const page = toPage(rows, size, (p) => ({ key: p.createdAt.toISOString(), id: p.id }));
      return { ...page, items: page.items.map((p) => toPolicyView(p, names.get(p.clusterId) ?? '')) };
    });
  }

  async history(rawCtx: RequestContext, id: string): Promise<PolicyRevisionView[]> {
    const ctx = this.reader(rawCtx);
    assertId('policy', id);
    const revisions = await inTenantTx(this.db, ctx.tenantId, (m) =>
      m.getRepository(PolicyRevisionEntity).find({ where: { policyId: id }, order: { revision: 'ASC' } }),
    );
    if (revisions.length === 0) throw notFound('policy', id);
    return revisions.map(toRevisionView);
  }

  private reader(ctx: RequestContext): TenantRequestContext {
    requireRole(ctx.auth, 'viewer');
    return tenantScope(ctx);
  }

  private writer(ctx: RequestContext): TenantRequestContext {
    requireRole(ctx.auth, 'operator');
    return tenantScope(ctx);
  }

  private load(ctx: TenantRequestContext, id: string): Promise<PolicyEntity> {
    return inTenantTx(this.db, ctx.tenantId, (m) => this.find(m, id));
  }

  private async find(m: EntityManager, id: string): Promise<PolicyEntity> {
    assertId('policy', id);
    const policy = await m.getRepository(PolicyEntity).findOneBy({ id });
    if (!policy) throw notFound('policy', id);
    return policy;
  }

  private clusterName(ctx: TenantRequestContext, clusterId: string): Promise<string> {
    return inTenantTx(this.db, ctx.tenantId, (m) => clusterNames(m)).then(
      (names) => names.get(clusterId) ?? '',
    );
  }

  private finish(
    result: ChangeOutcome[] | DryRunResult,
    clusterName: string,
  ): PolicyWriteResult | DryRunResult {
    if ('dryRun' in result) return result;
    return { policy: toPolicyView(result[0]!.policy!, clusterName), warnings: result[0]!.warnings };
  }
}

function parseBody(input: unknown): PolicyBody {
  const parsed = parsePolicyBody(input);
  if (!parsed.ok) throw policyValidationError(parsed.issues);
  return parsed.value;
}

/** Optimistic concurrency: updates must say which revision they change (If-Match); deletes may. */
function checkRevision(existing: PolicyEntity, expected: number | undefined, required: boolean): void {
  if (expected === undefined) {
    if (required)
      throw new HeliomeshError({
        code: 'REVISION_REQUIRED',
        status: 428,
        message: `Send If-Match: ${existing.revision} (the revision you read) so a concurrent change is not overwritten.`,
        path: ['headers', 'if-match'],
      });
    return;
  }
  if (expected !== existing.revision) {
    throw new HeliomeshError({
      code: 'REVISION_MISMATCH',
      status: 412,
      message: `The policy is at revision ${existing.revision}, not ${expected}: someone changed it. Read it again and reapply your change.`,
      path: ['headers', 'if-match'],
    });
  }
}

async function clusterNames(m: EntityManager): Promise<Map<string, string>> {
  const rows: Array<{ id: string; name: string }> = await m.query(`SELECT id, name FROM clusters`);
  return new Map(rows.map((r) => [r.id, r.name]));
}
