import type { DataSource, EntityManager } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { inTenantTx, ROLLOUT_PHASES, type RolloutEntity } from '@heliomesh/db';
import { HeliomeshError } from '@heliomesh/util';
import { z } from 'zod';
import { assertId, badRequest, invalid, isUniqueViolation, notFound } from '../common/errors.util.js';
import { parseInput } from '../common/input.util.js';
import { decodeCursor, type Page, pageSize, toPage } from '../common/pagination.util.js';
import type { RequestContext, TenantRequestContext } from '../common/request-context.types.js';
import { PendingAudit } from '../common/pending-audit.util.js';
import type { SecretBox } from '../common/secret-box.util.js';
import { lockRouteWrites } from '../policies/policy-change.service.js';
import { resolveCluster } from '../policies/policy-targets.util.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';
import { commandEffect, type RolloutCommand } from './rollout-commands.util.js';
import type { RolloutEventPublisher } from './rollout-event.publisher.js';
import { fromRaw, type RawRollout, RolloutRepository } from './rollout.repository.js';
import type { RolloutSpec } from './rollout-spec.schema.js';
import { parseRolloutSpec } from './rollout-spec.util.js';
import { ACTIVE_PHASES } from './rollout-state-machine.js';
import type { RolloutEventView, RolloutView } from './rollout.types.js';
import { planOf, progressEvents, toRolloutView } from './rollout-view.util.js';
import { generateWebhookSecret } from './webhook-signature.util.js';

export interface RolloutsOptions {
  /** Most rollouts a tenant may run at once (Flagger users hit trouble at ~50 per controller). */
  tenantLimit: number;
}

export interface CreatedRollout {
  rollout: RolloutView;
  /** Signs this rollout's webhook calls; returned only here. */
  webhookSecret?: string;
}

export const rolloutListSchema = z.strictObject({
  serviceId: z.string().max(64).optional(),
  namespace: z.string().max(63).optional(),
  phase: z.enum(ROLLOUT_PHASES).optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().optional(),
  cursor: z.string().max(500).optional(),
});

export const promoteSchema = z.strictObject({
  /** Skip every remaining step (default: only the current one). */
  full: z.boolean().default(false),
  /** Allow skipping analysis; needs a reason, which is audited. */
  skipAnalysis: z.boolean().default(false),
  reason: z.string().min(1).max(500).optional(),
});

export const commandBodySchema = z.strictObject({ reason: z.string().min(1).max(500).optional() });

const CAP_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('heliomesh.rollouts:' || $1, 0))`;

/** Rollout use cases shared by the REST API and the GraphQL gateway: start, read, steer. */
export class RolloutsService {
  private readonly repo = new RolloutRepository();

  constructor(
    private readonly db: DataSource,
    private readonly secrets: SecretBox,
    private readonly publisher: RolloutEventPublisher,
    private readonly options: RolloutsOptions,
  ) {}

  async create(rawCtx: RequestContext, input: unknown): Promise<CreatedRollout> {
    const ctx = this.writer(rawCtx);
    const spec = parseRolloutSpec(input);
    const secret = spec.webhooks.length ? generateWebhookSecret() : undefined;
    try {
      const { row, events, clusterName } = await inTenantTx(this.db, ctx.tenantId, async (m) => {
        const cluster = await resolveCluster(m, spec.target.namespace, spec.target.cluster);
        await lockRouteWrites(m, ctx.tenantId, cluster.id);
        const serviceId = await this.checkTarget(m, cluster, spec);
        await this.checkCapacity(m, ctx.tenantId, serviceId);
        const inserted = await this.repo.insert(m, {
          tenantId: ctx.tenantId,
          clusterId: cluster.id,
          serviceId,
          namespace: spec.target.namespace,
          service: spec.target.service,
          strategy: spec.strategy.type,
          spec: spec as unknown as Record<string, unknown>,
          stable: spec.stable,
          canary: spec.canary,
          webhookSecret: secret ? this.secrets.seal(secret) : null,
          createdBy: ctx.auth.actor,
        });
        const audit = new PendingAudit();
        const result = await this.repo.commit(
          m,
          inserted,
          {
            change: {},
            events: [
              {
                type: 'created',
                message: `Rollout of ${spec.target.namespace}/${spec.target.service} from ${spec.stable} to ${spec.canary} (${spec.strategy.type}) created.`,
                data: { spec },
              },
            ],
            actor: ctx.auth.actor,
            audit: {
              action: 'rollout.create',
              data: { spec },
              reason: ctx.reason ?? null,
              requestId: ctx.requestId ?? null,
            },
            nextTickInMs: 0,
          },
          audit,
        );
        await audit.appendAll(m);
        return { ...result!, clusterName: cluster.name };
      });
      void this.publisher.publish(progressEvents(row, events));
      return { rollout: toRolloutView(row, clusterName), ...(secret ? { webhookSecret: secret } : {}) };
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyRunning(spec.target.namespace, spec.target.service);
      throw err;
    }
  }

  async get(rawCtx: RequestContext, id: string): Promise<RolloutView> {
    const ctx = this.reader(rawCtx);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const row = await this.load(m, id);
      return toRolloutView(row, (await clusterNames(m)).get(row.clusterId) ?? '');
    });
  }

  async list(rawCtx: RequestContext, input: unknown): Promise<Page<RolloutView>> {
    const ctx = this.reader(rawCtx);
    const f = parseInput(rolloutListSchema, input);
    const size = pageSize(f.limit);
    const after = decodeCursor(f.cursor);
    if (f.serviceId !== undefined) assertId('service', f.serviceId);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.serviceId) add('service_id = ?', f.serviceId);
    if (f.namespace) add('namespace = ?', f.namespace);
    if (f.phase) add('phase = ?', f.phase);
    if (f.active) add(`${f.active === 'true' ? '' : 'NOT '}(phase = ANY(?::text[]))`, ACTIVE_PHASES);
    if (after) {
      params.push(after.key, after.id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const sql = `SELECT * FROM rollouts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ${size + 1}`;
      const rows = ((await m.query(sql, params)) as RawRollout[]).map(fromRaw);
      const names = await clusterNames(m);
      const page = toPage(rows, size, (r) => ({ key: r.createdAt.toISOString(), id: r.id }));
      return { ...page, items: page.items.map((r) => toRolloutView(r, names.get(r.clusterId) ?? '')) };
    });
  }

  async events(
    rawCtx: RequestContext,
    id: string,
    query: { afterSeq?: number; limit?: number },
  ): Promise<RolloutEventView[]> {
    const ctx = this.reader(rawCtx);
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000)
      throw badRequest('LIMIT_INVALID', 'limit must be a whole number from 1 to 1000.', ['query', 'limit']);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      await this.load(m, id);
      return this.repo.events(m, id, { afterSeq: query.afterSeq ?? 0, limit });
    });
  }

  async pause(ctx: RequestContext, id: string, input: unknown = {}): Promise<RolloutView> {
    return this.command(ctx, id, { kind: 'pause' }, parseInput(commandBodySchema, input ?? {}).reason);
  }

  async resume(ctx: RequestContext, id: string, input: unknown = {}): Promise<RolloutView> {
    return this.command(ctx, id, { kind: 'resume' }, parseInput(commandBodySchema, input ?? {}).reason);
  }

  async abort(ctx: RequestContext, id: string, input: unknown = {}): Promise<RolloutView> {
    return this.command(ctx, id, { kind: 'abort' }, parseInput(commandBodySchema, input ?? {}).reason);
  }

  async retry(ctx: RequestContext, id: string, input: unknown = {}): Promise<RolloutView> {
    return this.command(ctx, id, { kind: 'retry' }, parseInput(commandBodySchema, input ?? {}).reason);
  }

  async promote(ctx: RequestContext, id: string, input: unknown = {}): Promise<RolloutView> {
    const body = parseInput(promoteSchema, input ?? {});
    const reason = body.reason ?? ctx.reason;
    if (body.skipAnalysis && !reason)
      throw invalid(
        'REASON_REQUIRED',
        'Skipping analysis needs a reason (body "reason" or the X-Change-Reason header); it is recorded in the audit log.',
        ['reason'],
      );
    return this.command(
      ctx,
      id,
      { kind: 'promote', full: body.full, skipAnalysis: body.skipAnalysis },
      reason,
    );
  }

  private async command(
    rawCtx: RequestContext,
    id: string,
    command: RolloutCommand,
    bodyReason: string | undefined,
  ): Promise<RolloutView> {
    const ctx = this.writer(rawCtx);
    const reason = bodyReason ?? ctx.reason ?? null;
    try {
      const { row, events, clusterName } = await inTenantTx(this.db, ctx.tenantId, async (m) => {
        assertId('rollout', id);
        const current = await this.repo.findForUpdate(m, id);
        if (!current) throw notFound('rollout', id);
        const effect = commandEffect(current, planOf(current), command);
        if (command.kind === 'retry') {
          await lockRouteWrites(m, ctx.tenantId, current.clusterId);
          await this.checkCapacity(m, ctx.tenantId, current.serviceId);
        }
        const clusterName = (await clusterNames(m)).get(current.clusterId) ?? '';
        const audit = new PendingAudit();
        const result = await this.repo.commit(
          m,
          current,
          {
            change: effect.change,
            events: [{ type: 'command', message: effect.message, data: { command, reason } }],
            actor: ctx.auth.actor,
            audit: {
              action: `rollout.${command.kind}`,
              data: { command },
              reason,
              requestId: ctx.requestId ?? null,
            },
            nextTickInMs: effect.nextTickInMs,
          },
          audit,
        );
        await audit.appendAll(m);
        return { ...result!, clusterName };
      });
      void this.publisher.publish(progressEvents(row, events));
      return toRolloutView(row, clusterName);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new HeliomeshError({
          code: 'ROLLOUT_IN_PROGRESS',
          status: 409,
          message: 'Another rollout of this service started meanwhile; finish or abort it first.',
        });
      throw err;
    }
  }

  /** The service exists in the cluster and has both versions. */
  private async checkTarget(
    m: EntityManager,
    cluster: { id: string; name: string },
    spec: RolloutSpec,
  ): Promise<string> {
    const [service]: Array<{ id: string }> = await m.query(
      `SELECT id FROM services WHERE cluster_id = $1 AND namespace = $2 AND name = $3 AND removed_at IS NULL`,
      [cluster.id, spec.target.namespace, spec.target.service],
    );
    if (!service)
      throw invalid(
        'SERVICE_NOT_FOUND',
        `No service "${spec.target.service}" has been discovered in namespace "${spec.target.namespace}" of cluster "${cluster.name}". Deploy it, then run POST /v1/services/sync.`,
        ['target', 'service'],
      );
    const versions: Array<{ name: string }> = await m.query(
      `SELECT name FROM service_versions WHERE service_id = $1 ORDER BY name`,
      [service.id],
    );
    const names = versions.map((v) => v.name);
    for (const side of ['stable', 'canary'] as const)
      if (!names.includes(spec[side]))
        throw invalid(
          'VERSION_NOT_FOUND',
          `Service ${spec.target.namespace}/${spec.target.service} has no version "${spec[side]}" (it has ${names.length ? names.join(', ') : 'none'}); deploy it with the label version: ${spec[side]}, then run POST /v1/services/sync.`,
          [side],
        );
    return service.id;
  }

  /** One running rollout per service, and at most `tenantLimit` per tenant (fair share of the engine). */
  private async checkCapacity(m: EntityManager, tenantId: string, serviceId: string): Promise<void> {
    await m.query(CAP_LOCK_SQL, [tenantId]);
    const running = await this.repo.activeForService(m, serviceId);
    if (running) throw alreadyRunning(running.namespace, running.service, running.id);
    const active = await this.repo.countActive(m, tenantId);
    if (active >= this.options.tenantLimit)
      throw new HeliomeshError({
        code: 'ROLLOUT_LIMIT_REACHED',
        status: 429,
        message: `This tenant already runs ${active} rollouts, the most allowed at once (${this.options.tenantLimit}); wait for one to finish, or abort one, then try again.`,
      });
  }

  private async load(m: EntityManager, id: string): Promise<RolloutEntity> {
    assertId('rollout', id);
    const row = await this.repo.find(m, id);
    if (!row) throw notFound('rollout', id);
    return row;
  }

  private reader(ctx: RequestContext): TenantRequestContext {
    requireRole(ctx.auth, 'viewer');
    return tenantScope(ctx);
  }

  private writer(ctx: RequestContext): TenantRequestContext {
    requireRole(ctx.auth, 'operator');
    return tenantScope(ctx);
  }
}

function alreadyRunning(namespace: string, service: string, id?: string): HeliomeshError {
  return new HeliomeshError({
    code: 'ROLLOUT_IN_PROGRESS',
    status: 409,
    message: `A rollout${id ? ` (${id})` : ''} of ${namespace}/${service} is already running; wait for it to finish, or abort it, before starting another.`,
    path: ['target', 'service'],
  });
}

async function clusterNames(m: EntityManager): Promise<Map<string, string>> {
  const rows: Array<{ id: string; name: string }> = await m.query(`SELECT id, name FROM clusters`);
  return new Map(rows.map((r) => [r.id, r.name]));
}
