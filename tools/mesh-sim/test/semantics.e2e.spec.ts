import { startKubeSim, type KubeSim } from '@heliomesh/kube-sim';
import { afterAll, beforeAll } from 'vitest';
import { kubeSimHarness } from './support/kube-harness.js';
import { describeSemantics } from './support/semantics.scenarios.js';

/** The semantics tests against kube-sim, with real Istio objects applied through its API. */
let kube: KubeSim;
const run = Math.random().toString(36).slice(2, 7);

beforeAll(async () => {
  kube = await startKubeSim({ port: 0 });
});

afterAll(async () => {
  await kube?.stop();
});

describeSemantics(
  'kube-sim',
  kubeSimHarness(() => kube),
  (name) => `ms-${name}-${run}`,
);
