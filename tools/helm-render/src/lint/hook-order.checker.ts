import type { RenderedManifest } from '../chart/chart.types.js';
import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { finding, findManifest, podTemplates } from './manifest-index.util.js';
import { podReferences } from './pod-references.util.js';

/**
 * A pre-install or pre-upgrade hook runs before the release's regular objects are created or
 * updated. So a hook pod may only use objects the user created or hooks that run before it, for
 * every event it runs on (a lower weight and the same events).
 */
export const hookOrderChecker: ManifestChecker = {
  rule: 'hook-order',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const pod of podTemplates(manifests).filter((p) =>
      p.owner.hook?.events.some((e) => e.startsWith('pre-')),
    )) {
      for (const ref of podReferences(pod.spec)) {
        const target = findManifest(manifests, ref.kind, ref.name, pod.owner.namespace);
        const problem = target && orderProblem(pod.owner, target);
        if (problem) findings.push(finding(this.rule, pod.owner, [...pod.specPath, ...ref.path], problem));
      }
    }
    return findings;
  },
};

function orderProblem(hook: RenderedManifest, target: RenderedManifest): string | null {
  const what = `${target.kind} "${target.name}"`;
  if (!target.hook)
    return `${what} is a regular release object, created only after this hook has run; make it a hook of lower weight or an external object`;
  const missing = hook.hook!.events.filter((e) => !target.hook!.events.includes(e));
  if (missing.length)
    return `${what} is not a hook for ${missing.join(', ')}, so it does not exist when this hook runs then`;
  if (target.hook.weight >= hook.hook!.weight)
    return `${what} has hook weight ${target.hook.weight}, not lower than this hook's ${hook.hook!.weight}`;
  return null;
}
