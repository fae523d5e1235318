import type { RenderedChart } from '../chart/chart.types.js';
import { hookOrderChecker } from './hook-order.checker.js';
import { hpaTargetChecker } from './hpa-target.checker.js';
import { ingressBackendChecker } from './ingress-backend.checker.js';
import { validateKubeSchemas } from './kube-schema.util.js';
import type { ExternalObjects, Finding, ManifestChecker } from './lint.types.js';
import { networkPolicyChecker } from './network-policy.checker.js';
import { objectNameChecker } from './object-name.checker.js';
import { pdbSelectorChecker } from './pdb-selector.checker.js';
import { probePortChecker } from './probe-port.checker.js';
import { rbacBindingChecker } from './rbac-binding.checker.js';
import { referenceChecker } from './reference.checker.js';
import { serviceMonitorChecker } from './service-monitor.checker.js';
import { serviceSelectorChecker } from './service-selector.checker.js';

/** Every cross-reference rule; each checker owns one. */
export const MANIFEST_CHECKERS: readonly ManifestChecker[] = [
  objectNameChecker,
  referenceChecker,
  serviceSelectorChecker,
  probePortChecker,
  rbacBindingChecker,
  pdbSelectorChecker,
  hpaTargetChecker,
  serviceMonitorChecker,
  networkPolicyChecker,
  ingressBackendChecker,
  hookOrderChecker,
];

/** Runs the cross-reference checkers over a rendered chart (regular objects and hooks). */
export function checkReferences(
  chart: Pick<RenderedChart, 'manifests' | 'hooks'>,
  external: ExternalObjects = {},
): Finding[] {
  const input = { manifests: [...chart.manifests, ...chart.hooks], external };
  return MANIFEST_CHECKERS.flatMap((c) => c.check(input));
}

/** Schema validation and every cross-reference rule. */
export async function lintChart(
  chart: Pick<RenderedChart, 'manifests' | 'hooks'>,
  external: ExternalObjects = {},
): Promise<Finding[]> {
  const schemaFindings = await validateKubeSchemas([...chart.manifests, ...chart.hooks]);
  return [...schemaFindings, ...checkReferences(chart, external)];
}
