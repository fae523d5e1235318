import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, finding, findManifest } from './manifest-index.util.js';

/** A binding grants a role the chart renders to ServiceAccounts the chart renders (or external ones). */
export const rbacBindingChecker: ManifestChecker = {
  rule: 'rbac-binding',
  check({ manifests, external }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const b of manifests.filter((m) => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding')) {
      const roleRef = asObj(b.object['roleRef']);
      const roleKind = String(roleRef['kind']);
      const roleNs = roleKind === 'Role' ? b.namespace : undefined;
      if (!findManifest(manifests, roleKind, String(roleRef['name']), roleNs)) {
        findings.push(
          finding(
            this.rule,
            b,
            ['roleRef'],
            `${roleKind} "${String(roleRef['name'])}" is not rendered by the chart`,
          ),
        );
      }
      const subjects = asList(b.object['subjects']).map(asObj);
      if (subjects.length === 0)
        findings.push(finding(this.rule, b, ['subjects'], 'binds the role to no subject'));
      subjects.forEach((s, i) => {
        if (s['kind'] !== 'ServiceAccount') return;
        const name = String(s['name']);
        const ns = typeof s['namespace'] === 'string' ? s['namespace'] : b.namespace;
        if (!ns)
          findings.push(
            finding(
              this.rule,
              b,
              ['subjects', i, 'namespace'],
              'a ServiceAccount subject of a ClusterRoleBinding needs a namespace',
            ),
          );
        const known =
          name === 'default' ||
          findManifest(manifests, 'ServiceAccount', name, ns) ||
          (external.serviceAccounts ?? []).includes(name);
        if (!known)
          findings.push(
            finding(
              this.rule,
              b,
              ['subjects', i],
              `ServiceAccount "${name}" is neither rendered nor external`,
            ),
          );
      });
    }
    return findings;
  },
};
