import type { DataSource } from 'typeorm';
import { requirePlatformAdmin, requireRole } from '@heliomesh/auth';
import {
  AuditRepository,
  CLUSTER_CONNECTIONS,
  ClusterEntity,
  inSystemTx,
  type JsonObject,
  PLATFORM_TENANT_ID,
} from '@heliomesh/db';
import { dnsLabelSchema } from '@heliomesh/policy';
import { z } from 'zod';
import { assertId, conflict, invalid, isUniqueViolation, notFound } from '../common/errors.util.js';
import { parseInput } from '../common/input.util.js';
import type { RequestContext } from '../common/request-context.types.js';
import type { SecretBox } from '../common/secret-box.util.js';
import type { ClusterRecord, ClusterTargets, ConnectionReport } from './cluster-target.types.js';

export const registerClusterSchema = z
  .strictObject({
    name: dnsLabelSchema,
    connection: z.enum(CLUSTER_CONNECTIONS),
    /** kubeconfig and sandbox: the kubeconfig file's content. */
    kubeconfig: z
      .string()
      .min(1)
      .max(256 * 1024)
      .optional(),
    /** Which context of the kubeconfig to use (default: its current-context). */
    context: z.string().min(1).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.connection !== 'in-cluster' && v.kubeconfig === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['kubeconfig'],
        message: `a ${v.connection} cluster needs its kubeconfig`,
      });
    if (v.connection === 'in-cluster' && v.kubeconfig !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['kubeconfig'],
        message: 'an in-cluster connection uses the pod service account; leave kubeconfig out',
      });
  });

export interface ClusterView {
  id: string;
  name: string;
  connection: string;
  server: string | null;
  createdAt: string;
  lastCheckedAt: string | null;
  lastStatus: Record<string, unknown> | null;
}

const view = (c: ClusterEntity): ClusterView => ({
  id: c.id,
  name: c.name,
  connection: c.connection,
  server: c.server,
  createdAt: c.createdAt.toISOString(),
  lastCheckedAt: c.lastCheckedAt?.toISOString() ?? null,
  lastStatus: c.lastStatus,
});

/** The server URL of a kubeconfig's chosen context, for display (credentials stay encrypted). */
function serverOf(kubeconfig: string | undefined, context: string | undefined): string | null {
  if (!kubeconfig) return null;
  const ctxName = context ?? /current-context:\s*"?([^"\n]+)"?/.exec(kubeconfig)?.[1];
  const server = /server:\s*"?([^"\s]+)"?/.exec(kubeconfig)?.[1];
  return ctxName && server ? server : (server ?? null);
}

/** Clusters are platform resources: admins register them; every tenant can read their names and health. */
export class ClustersService {
  private readonly audit = new AuditRepository();

  constructor(
    private readonly db: DataSource,
    private readonly targets: ClusterTargets,
    private readonly secrets: SecretBox,
  ) {}

  async register(
    ctx: RequestContext,
    input: unknown,
  ): Promise<{ cluster: ClusterView; connection: ConnectionReport }> {
    requirePlatformAdmin(ctx.auth);
    const body = parseInput(registerClusterSchema, input);
    const record: ClusterRecord = {
      id: 'pending',
      name: body.name,
      connection: body.connection,
      context: body.context ?? null,
      kubeconfig: body.kubeconfig ?? null,
    };
    try {
      this.targets.target(record);
    } catch (err) {
      throw invalid(
        'KUBECONFIG_INVALID',
        `The kubeconfig cannot be used: ${err instanceof Error ? err.message : String(err)}`,
        ['kubeconfig'],
      );
    } finally {
      this.targets.forget('pending');
    }
    let saved: ClusterEntity;
    try {
      saved = await inSystemTx(this.db, async (m) => {
        const repo = m.getRepository(ClusterEntity);
        const cluster = await repo.save(
          repo.create({
            name: body.name,
            connection: body.connection,
            context: body.context ?? null,
            server: serverOf(body.kubeconfig, body.context),
            credentials: body.kubeconfig ? this.secrets.seal(body.kubeconfig) : null,
          }),
        );
        await this.audit.append(m, {
          tenantId: PLATFORM_TENANT_ID,
          actor: ctx.auth.actor,
          action: 'cluster.register',
          resourceKind: 'Cluster',
          resourceId: cluster.id,
          requestId: ctx.requestId ?? null,
          reason: ctx.reason ?? null,
          data: { after: { name: cluster.name, connection: cluster.connection, server: cluster.server } },
        });
        return cluster;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('CLUSTER_EXISTS', `A cluster named "${body.name}" is already registered.`, ['name']);
      throw err;
    }
    const connection = await this.check(saved);
    return { cluster: view(await this.find(saved.id)), connection };
  }

  async list(ctx: RequestContext): Promise<ClusterView[]> {
    requireRole(ctx.auth, 'viewer');
    return (await this.db.getRepository(ClusterEntity).find({ order: { name: 'ASC' } })).map(view);
  }

  async get(ctx: RequestContext, id: string): Promise<ClusterView> {
    requireRole(ctx.auth, 'viewer');
    return view(await this.find(id));
  }

  async test(ctx: RequestContext, id: string): Promise<ConnectionReport> {
    requireRole(ctx.auth, 'viewer');
    return this.check(await this.find(id));
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    requirePlatformAdmin(ctx.auth);
    const cluster = await this.find(id);
    await inSystemTx(this.db, async (m) => {
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM policies WHERE cluster_id = $1`, [id]);
      if (n > 0)
        throw conflict(
          'CLUSTER_IN_USE',
          `Cluster "${cluster.name}" still has ${n} policies; delete them first.`,
        );
      await this.audit.append(m, {
        tenantId: PLATFORM_TENANT_ID,
        actor: ctx.auth.actor,
        action: 'cluster.delete',
        resourceKind: 'Cluster',
        resourceId: id,
        requestId: ctx.requestId ?? null,
        reason: ctx.reason ?? null,
        data: { before: { name: cluster.name } },
      });
      await m.query(`DELETE FROM clusters WHERE id = $1`, [id]);
    });
    this.targets.forget(id);
  }

  /** The decrypted connection details, for the worker and discovery. Never exposed by an API. */
  async record(id: string): Promise<ClusterRecord> {
    const cluster = await this.db
      .getRepository(ClusterEntity)
      .createQueryBuilder('c')
      .addSelect('c.credentials')
      .where('c.id = :id', { id })
      .getOne();
    if (!cluster) throw notFound('cluster', id);
    return {
      id: cluster.id,
      name: cluster.name,
      connection: cluster.connection,
      context: cluster.context,
      kubeconfig: cluster.credentials ? this.secrets.open(cluster.credentials) : null,
    };
  }

  private async find(id: string): Promise<ClusterEntity> {
    assertId('cluster', id);
    const cluster = await this.db.getRepository(ClusterEntity).findOneBy({ id });
    if (!cluster) throw notFound('cluster', id);
    return cluster;
  }

  private async check(cluster: ClusterEntity): Promise<ConnectionReport> {
    const report = await this.targets.target(await this.record(cluster.id)).testConnection();
    await this.db
      .getRepository(ClusterEntity)
      .update({ id: cluster.id }, { lastCheckedAt: new Date(), lastStatus: report as unknown as JsonObject });
    return report;
  }
}
