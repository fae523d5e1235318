import { getQueueToken } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { enqueueRolloutTick, QUEUE_NAMES } from '@heliomesh/queue';
import { ROLLOUT_EVENT_PUBLISHER, type RolloutEventPublisher, SecretBox } from '@heliomesh/core';
import type { WorkerConfig } from '../config.js';
import { AnalysisRunner } from './analysis/analysis-runner.service.js';
import { RolloutEngine } from './engine/rollout-engine.service.js';
import { RolloutNotifier } from './engine/rollout-notifier.service.js';
import { createMetricsBackend, type MetricsBackend } from './metrics/metrics-provider.factory.js';
import { RolloutMetrics } from './rollout-metrics.service.js';
import { RolloutSweeper } from './rollout-sweeper.service.js';
import { IstioTrafficProvider } from './traffic/istio-traffic.provider.js';
import type { TrafficProvider } from './traffic/traffic-provider.types.js';
import { HttpWebhookCaller } from './webhooks/webhook.client.js';
import { WebhookRunner } from './webhooks/webhook-runner.service.js';

export const METRICS_BACKEND = Symbol('METRICS_BACKEND');
export const TRAFFIC_PROVIDER = Symbol('TRAFFIC_PROVIDER');

/** Starts the metrics backend's background work (the scrape loop) with the app, and stops it. */
@Injectable()
class MetricsBackendLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(METRICS_BACKEND) private readonly backend: MetricsBackend) {}

  onApplicationBootstrap(): void {
    this.backend.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.backend.stop();
  }
}

/** The progressive-delivery engine's providers for the worker module. */
export function rolloutProviders(config: WorkerConfig): Provider[] {
  return [
    { provide: METRICS_BACKEND, useFactory: () => createMetricsBackend(config) },
    MetricsBackendLifecycle,
    {
      provide: TRAFFIC_PROVIDER,
      useFactory: (db: DataSource) => new IstioTrafficProvider(db),
      inject: [DataSource],
    },
    {
      provide: RolloutEngine,
      useFactory: (
        db: DataSource,
        traffic: TrafficProvider,
        backend: MetricsBackend,
        secrets: SecretBox,
        publisher: RolloutEventPublisher,
        queue: Queue,
      ) =>
        new RolloutEngine(
          db,
          traffic,
          new AnalysisRunner(backend.provider),
          new WebhookRunner(new HttpWebhookCaller()),
          secrets,
          publisher,
          (rolloutId, tick, delayMs) => enqueueRolloutTick(queue, { rolloutId, tick }, delayMs),
        ),
      inject: [
        DataSource,
        TRAFFIC_PROVIDER,
        METRICS_BACKEND,
        SecretBox,
        ROLLOUT_EVENT_PUBLISHER,
        getQueueToken(QUEUE_NAMES.rollout),
      ],
    },
    {
      provide: RolloutNotifier,
      useFactory: (db: DataSource, secrets: SecretBox, publisher: RolloutEventPublisher) =>
        new RolloutNotifier(db, new WebhookRunner(new HttpWebhookCaller()), secrets, publisher),
      inject: [DataSource, SecretBox, ROLLOUT_EVENT_PUBLISHER],
    },
    RolloutMetrics,
    RolloutSweeper,
  ];
}
