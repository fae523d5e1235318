import type { RenderedManifest } from '../chart/chart.types.js';
import type { ExternalObjects, Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asObj, finding, findManifest, podTemplates } from './manifest-index.util.js';
import { podReferences, type PodReference } from './pod-references.util.js';

/**
 * Every ConfigMap, Secret and ServiceAccount a pod names is rendered by the chart (in the pod's
 * namespace) or declared external; a key read from a rendered object exists in it.
 */
export const referenceChecker: ManifestChecker = {
  rule: 'pod-references',
  check({ manifests, external }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const pod of podTemplates(manifests)) {
      for (const ref of podReferences(pod.spec)) {
        const message = problem(manifests, external, pod.owner, ref);
        if (message) findings.push(finding(this.rule, pod.owner, [...pod.specPath, ...ref.path], message));
      }
    }
    return findings;
  },
};

function isExternal(external: ExternalObjects, ref: PodReference): boolean {
  const names = {
    ConfigMap: external.configMaps,
    Secret: external.secrets,
    ServiceAccount: external.serviceAccounts,
  }[ref.kind];
  return (names ?? []).includes(ref.name);
}

function problem(
  manifests: readonly RenderedManifest[],
  external: ExternalObjects,
  owner: RenderedManifest,
  ref: PodReference,
): string | null {
  if (ref.kind === 'ServiceAccount' && ref.name === 'default') return null;
  const target = findManifest(manifests, ref.kind, ref.name, owner.namespace);
  if (!target) {
    if (ref.optional || isExternal(external, ref)) return null;
    return `${ref.kind} "${ref.name}" is neither rendered by the chart nor a documented external object`;
  }
  if (ref.key === undefined || ref.optional) return null;
  const keys = ref.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  const present = keys.some((field) => Object.hasOwn(asObj(target.object[field]), ref.key!));
  return present ? null : `${ref.kind} "${ref.name}" has no key "${ref.key}"`;
}
