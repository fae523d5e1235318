import type { DataSource } from 'typeorm';
import {
  type RequestContext,
  ROLLOUT_NOTIFY_TOPIC,
  type RolloutEventPublisher,
  type RolloutNotifyMessage,
  type RolloutProgressEvent,
} from '@heliomesh/core';

export interface Seeded {
  tenantId: string;
  clusterId: string;
  serviceIds: Record<string, string>;
  operator: RequestContext;
  viewer: RequestContext;
}

/** A tenant owning namespace `shop` of cluster `sandbox`, with services whose versions are given. */
export async function seedTenant(
  db: DataSource,
  name: string,
  services: Record<string, string[]>,
  clusterName = 'sandbox',
): Promise<Seeded> {
  const [tenant] = await db.query(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [name]);
  const existing = await db.query(`SELECT id FROM clusters WHERE name = $1`, [clusterName]);
  const [cluster] = existing.length
    ? existing
    : await db.query(`INSERT INTO clusters (name, connection) VALUES ($1, 'sandbox') RETURNING id`, [
        clusterName,
      ]);
  const namespace = `shop-${name}`;
  await db.query(`INSERT INTO namespace_claims (tenant_id, cluster_id, namespace) VALUES ($1, $2, $3)`, [
    tenant.id,
    cluster.id,
    namespace,
  ]);
  const serviceIds: Record<string, string> = {};
  for (const [service, versions] of Object.entries(services)) {
    const [row] = await db.query(
      `INSERT INTO services (tenant_id, cluster_id, namespace, name, ports, selector)
       VALUES ($1, $2, $3, $4, '[{"name":"http","port":9080}]', $5) RETURNING id`,
      [tenant.id, cluster.id, namespace, service, JSON.stringify({ app: service })],
    );
    serviceIds[service] = row.id;
    for (const version of versions)
      await db.query(
        `INSERT INTO service_versions (service_id, tenant_id, name, labels, pods) VALUES ($1, $2, $3, $4, 1)`,
        [row.id, tenant.id, version, JSON.stringify({ app: service, version })],
      );
  }
  const ctx = (role: 'operator' | 'viewer'): RequestContext => ({
    auth: {
      tokenId: `${name}-${role}`,
      tokenName: `${name}-${role}`,
      role,
      tenantId: tenant.id,
      actor: `token:${name}-${role}`,
    },
    tenantId: tenant.id,
  });
  return {
    tenantId: tenant.id,
    clusterId: cluster.id,
    serviceIds,
    operator: ctx('operator'),
    viewer: ctx('viewer'),
  };
}

/** Keeps every published progress event. */
export class CapturingPublisher implements RolloutEventPublisher {
  readonly events: RolloutProgressEvent[] = [];

  publish(events: RolloutProgressEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }
}

/** Rollout ticks waiting in the outbox (the relay's input), oldest first, claimed as published. */
export async function takeTicks(
  db: DataSource,
): Promise<Array<{ rolloutId: string; tick: number; runAt: number }>> {
  const [rows]: [Array<{ payload: { rolloutId: string; tick: number; runAt: number } }>, number] =
    await db.query(
      `UPDATE outbox SET published_at = clock_timestamp() WHERE id IN
       (SELECT id FROM outbox WHERE topic = 'rollout-tick' AND published_at IS NULL ORDER BY id)
     RETURNING id, payload`,
    );
  return rows.map((r) => r.payload).sort((a, b) => a.runAt - b.runAt);
}

/** Notification messages waiting in the outbox, oldest first, claimed as published. */
export async function takeNotifications(db: DataSource): Promise<RolloutNotifyMessage[]> {
  const [rows]: [Array<{ id: string; payload: RolloutNotifyMessage }>, number] = await db.query(
    `UPDATE outbox SET published_at = clock_timestamp() WHERE id IN
       (SELECT id FROM outbox WHERE topic = $1 AND published_at IS NULL ORDER BY id)
     RETURNING id, payload`,
    [ROLLOUT_NOTIFY_TOPIC],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.payload);
}
