import type { DataSource } from 'typeorm';
import { isPlatformAdmin, requirePlatformAdmin, requireRole } from '@heliomesh/auth';
import { AuditRepository, inSystemTx, inTenantTx, NamespaceClaimEntity } from '@heliomesh/db';
import { dnsLabelSchema } from '@heliomesh/policy';
import { z } from 'zod';
import { assertId, conflict, invalid, notFound } from '../common/errors.util.js';
import { parseInput } from '../common/input.util.js';
import type { RequestContext } from '../common/request-context.types.js';

export const claimNamespaceSchema = z.strictObject({
  tenant: dnsLabelSchema,
  cluster: dnsLabelSchema,
  namespace: dnsLabelSchema,
});

export interface NamespaceClaimView {
  id: string;
  tenant: string;
  cluster: string;
  namespace: string;
  createdAt: string;
}

const SELECT_VIEW = `SELECT n.id, t.name AS tenant, c.name AS cluster, n.namespace, n.created_at AS "createdAt"
  FROM namespace_claims n JOIN tenants t ON t.id = n.tenant_id JOIN clusters c ON c.id = n.cluster_id`;

type Row = { id: string; tenant: string; cluster: string; namespace: string; createdAt: Date };
const view = (r: Row): NamespaceClaimView => ({ ...r, createdAt: r.createdAt.toISOString() });

/** Which tenant owns which namespace of which cluster. A namespace has at most one owner. */
export class NamespaceClaimsService {
  private readonly audit = new AuditRepository();

  constructor(private readonly db: DataSource) {}

  async claim(ctx: RequestContext, input: unknown): Promise<NamespaceClaimView> {
    requirePlatformAdmin(ctx.auth);
    const body = parseInput(claimNamespaceSchema, input);
    return inSystemTx(this.db, async (m) => {
      const [tenant] = await m.query(`SELECT id FROM tenants WHERE name = $1`, [body.tenant]);
      if (!tenant) throw invalid('TENANT_NOT_FOUND', `No tenant named "${body.tenant}".`, ['tenant']);
      const [cluster] = await m.query(`SELECT id FROM clusters WHERE name = $1`, [body.cluster]);
      if (!cluster)
        throw invalid(
          'CLUSTER_NOT_FOUND',
          `No cluster named "${body.cluster}"; register it first (POST /v1/clusters).`,
          ['cluster'],
        );
      // Lock the (cluster, namespace) pair so the unique constraint is never the thing that answers.
      await m.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('heliomesh.claim:' || $1 || ':' || $2, 0))`,
        [cluster.id, body.namespace],
      );
      const [owner] = await m.query(
        `SELECT t.name FROM namespace_claims n JOIN tenants t ON t.id = n.tenant_id WHERE n.cluster_id = $1 AND n.namespace = $2`,
        [cluster.id, body.namespace],
      );
      if (owner)
        throw conflict(
          'NAMESPACE_CLAIMED',
          `Namespace "${body.namespace}" of cluster "${body.cluster}" is already claimed by tenant "${owner.name}".`,
          ['namespace'],
        );
      const claim = await m
        .getRepository(NamespaceClaimEntity)
        .save(
          m
            .getRepository(NamespaceClaimEntity)
            .create({ tenantId: tenant.id, clusterId: cluster.id, namespace: body.namespace }),
        );
      await this.audit.append(m, {
        tenantId: tenant.id,
        actor: ctx.auth.actor,
        action: 'namespace.claim',
        resourceKind: 'NamespaceClaim',
        resourceId: claim.id,
        requestId: ctx.requestId ?? null,
        reason: ctx.reason ?? null,
        data: { after: body },
      });
      const [row] = await m.query(`${SELECT_VIEW} WHERE n.id = $1`, [claim.id]);
      return view(row);
    });
  }

  async list(ctx: RequestContext): Promise<NamespaceClaimView[]> {
    requireRole(ctx.auth, 'viewer');
    const rows: Row[] =
      ctx.tenantId === null && isPlatformAdmin(ctx.auth)
        ? await this.db.query(`${SELECT_VIEW} ORDER BY c.name, n.namespace`)
        : await inTenantTx(this.db, ctx.tenantId ?? '', (m) =>
            m.query(`${SELECT_VIEW} ORDER BY c.name, n.namespace`),
          );
    return rows.map(view);
  }

  /** Refuses while policies live in the namespace: they would be left without an owner. */
  async release(ctx: RequestContext, id: string): Promise<void> {
    requirePlatformAdmin(ctx.auth);
    assertId('namespace claim', id);
    await inSystemTx(this.db, async (m) => {
      const claim = await m.getRepository(NamespaceClaimEntity).findOneBy({ id });
      if (!claim) throw notFound('namespace claim', id);
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM policies WHERE tenant_id = $1 AND cluster_id = $2 AND namespace = $3`,
        [claim.tenantId, claim.clusterId, claim.namespace],
      );
      if (n > 0)
        throw conflict(
          'NAMESPACE_IN_USE',
          `Namespace "${claim.namespace}" still has ${n} policies; delete them first.`,
        );
      await m.query(`DELETE FROM services WHERE tenant_id = $1 AND cluster_id = $2 AND namespace = $3`, [
        claim.tenantId,
        claim.clusterId,
        claim.namespace,
      ]);
      await this.audit.append(m, {
        tenantId: claim.tenantId,
        actor: ctx.auth.actor,
        action: 'namespace.release',
        resourceKind: 'NamespaceClaim',
        resourceId: id,
        requestId: ctx.requestId ?? null,
        reason: ctx.reason ?? null,
        data: { before: { namespace: claim.namespace } },
      });
      await m.query(`DELETE FROM namespace_claims WHERE id = $1`, [id]);
    });
  }
}
