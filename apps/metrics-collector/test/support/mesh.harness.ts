import { PrometheusClient } from '@heliomesh/metrics';
import {
  DEMO_TOPOLOGY,
  eventually,
  loadTopologyFile,
  startMeshSim,
  startSandbox,
  type KubeSim,
  type MeshSimHandle,
} from '@heliomesh/testing';
import type { TestCollector } from './collector.harness.js';

/** The demo shop's pods: 2 frontend, 2 product, 10 single-replica versions. */
export const DEMO_PODS = 14;

export interface DemoMesh {
  kube: KubeSim;
  sim: MeshSimHandle;
  stop(): Promise<void>;
}

/**
 * kube-sim with the demo shop deployed and mesh-sim reading it. Simulated time only moves on
 * `sim.advance(ms)`, so each test decides exactly what traffic the collectors see.
 */
export async function startDemoMesh(): Promise<DemoMesh> {
  const kube = await startSandbox();
  const topology = await loadTopologyFile(DEMO_TOPOLOGY);
  const sim = await startMeshSim({ topology, kubeconfig: kube.kubeconfig, deploy: true, port: 0, speed: 0 });
  await sim.waitForConfig(
    (c) => c.registry.pods.filter((p) => p.ready && p.namespace === topology.namespace).length === DEMO_PODS,
    30_000,
  );
  return {
    kube,
    sim,
    stop: async () => {
      await sim.stop();
      await kube.stop();
    },
  };
}

/** Waits until the embedded scraper has scraped at least twice since `sinceMs`. */
export async function scrapedTwiceSince(
  collector: TestCollector,
  sinceMs: number,
  intervalMs: number,
): Promise<void> {
  await eventually(
    async () => {
      const s = await collector.client.status();
      const last = s.kind === 'value' ? s.value.targets[0]?.lastSuccessMs : undefined;
      return last !== undefined && last >= sinceMs + 2.5 * intervalMs;
    },
    20_000,
    50,
  );
}

/** Waits until Prometheus holds at least two samples of the mesh taken after `sinceMs`. */
export async function promScrapedTwiceSince(prometheusUrl: string, sinceMs: number): Promise<void> {
  const client = new PrometheusClient({ baseUrl: prometheusUrl });
  await eventually(
    async () => {
      const seconds = Math.floor((Date.now() - sinceMs) / 1000);
      if (seconds < 1) return false;
      const r = await client.query(
        `count_over_time(istio_requests_total{reporter="destination",destination_service_name="frontend",response_code="200"}[${seconds}s])`,
      );
      return (
        r.kind === 'value' && r.value.resultType === 'vector' && r.value.samples.some((s) => s.value >= 2)
      );
    },
    20_000,
    100,
  );
}
