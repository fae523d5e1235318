import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CLUSTER_TARGETS, type ClusterTargets, ClustersService, type DriftEvent } from '@heliomesh/core';
import { DatabaseConnector } from '@heliomesh/db';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { enqueueReconcile, QUEUE_NAMES } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';

// Cheap (one query); short so a newly registered cluster is watched, and its client warm, within seconds.
const REFRESH_MS = 5_000;

/**
 * Watches every registered cluster for edits and deletions of our objects and queues a
 * reconcile (reason "drift") for the service they belong to; the reconcile re-applies and audits.
 */
@Injectable()
export class DriftSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly watching = new Map<string, () => Promise<void>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly connector: DatabaseConnector,
    private readonly clusters: ClustersService,
    @Inject(CLUSTER_TARGETS) private readonly targets: ClusterTargets,
    @InjectQueue(QUEUE_NAMES.reconcile) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.connector.ready().then(
      () => {
        void this.refresh();
        this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
      },
      () => undefined,
    );
  }

  /** Starts watching clusters registered since the last look (and stops for removed ones). */
  async refresh(): Promise<void> {
    try {
      const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM clusters`);
      const ids = new Set(rows.map((r) => r.id));
      for (const [id, stop] of this.watching) {
        if (!ids.has(id)) {
          this.watching.delete(id);
          await stop();
        }
      }
      for (const id of ids) {
        if (this.watching.has(id)) continue;
        const record = await this.clusters.record(id);
        const stop = await this.targets.target(record).watchDrift((event) => void this.onDrift(id, event));
        this.watching.set(id, stop);
        this.logger.info({ cluster: record.name }, 'watching for drift');
      }
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'drift watch refresh failed; retrying later');
    }
  }

  private async onDrift(clusterId: string, event: DriftEvent): Promise<void> {
    if (!event.tenant || !event.service) return;
    const [row] = await this.db.query(
      `SELECT s.id, s.tenant_id FROM services s JOIN tenants t ON t.id = s.tenant_id WHERE s.cluster_id = $1 AND t.name = $2 AND s.namespace = $3 AND s.name = $4`,
      [clusterId, event.tenant, event.ref.namespace, event.service],
    );
    if (!row) return;
    this.logger.warn({ ...event.ref, change: event.change }, 'drift detected; re-applying');
    await enqueueReconcile(this.queue, { tenantId: row.tenant_id, serviceId: row.id, reason: 'drift' }).catch(
      (err: unknown) => this.logger.warn({ err: errorMessage(err) }, 'could not queue the drift repair'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.watching.values()].map((stop) => stop().catch(() => undefined)));
    this.watching.clear();
  }
}
