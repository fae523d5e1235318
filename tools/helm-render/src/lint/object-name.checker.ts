import type { RenderedManifest } from '../chart/chart.types.js';
import type { Finding, LintInput, ManifestChecker } from './lint.types.js';
import { asList, asObj, containers, finding, podTemplates } from './manifest-index.util.js';

/**
 * The API server's name and label rules, which OpenAPI schemas do not carry: an object with a
 * bad name or label passes schema validation and is then rejected by the cluster.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function nameProblem(kind: string, name: string): string | null {
  if (kind === 'Service') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? null
      : 'a Service name must be a DNS-1035 label: at most 63 lowercase letters, digits and dashes, starting with a letter';
  }
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
    ? null
    : 'a name must be a DNS-1123 subdomain: lowercase letters, digits, dashes and dots';
}

export function labelProblem(key: string, value: string): string | null {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (slash >= 0 && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)))
    return `label key "${key}" has an invalid prefix`;
  if (name.length > 63 || !LABEL_NAME.test(name)) return `label key "${key}" is not a valid label name`;
  if (value !== '' && (value.length > 63 || !LABEL_NAME.test(value)))
    return `label ${key}="${value}" has an invalid value (at most 63 characters, alphanumeric at both ends)`;
  return null;
}

function labelFindings(
  rule: string,
  m: RenderedManifest,
  labels: unknown,
  path: (string | number)[],
): Finding[] {
  return Object.entries(asObj(labels)).flatMap(([k, v]) => {
    const problem = typeof v === 'string' ? labelProblem(k, v) : `label ${k} is not a string`;
    return problem ? [finding(rule, m, [...path, k], problem)] : [];
  });
}

export const objectNameChecker: ManifestChecker = {
  rule: 'object-name',
  check({ manifests }: LintInput): Finding[] {
    const findings: Finding[] = [];
    for (const m of manifests) {
      const problem = nameProblem(m.kind, m.name);
      if (problem) findings.push(finding(this.rule, m, ['metadata', 'name'], problem));
      findings.push(
        ...labelFindings(this.rule, m, asObj(m.object['metadata'])['labels'], ['metadata', 'labels']),
      );
    }
    for (const pod of podTemplates(manifests)) {
      const templatePath = pod.specPath.slice(0, -1);
      if (pod.owner.kind !== 'Pod')
        findings.push(
          ...labelFindings(this.rule, pod.owner, pod.labels, [...templatePath, 'metadata', 'labels']),
        );
      for (const { container, path } of containers(pod.spec)) {
        const name = String(container['name']);
        if (name.length > 63 || !DNS1123_LABEL.test(name)) {
          findings.push(
            finding(
              this.rule,
              pod.owner,
              [...pod.specPath, ...path, 'name'],
              `container name "${name}" is not a DNS-1123 label`,
            ),
          );
        }
        asList(container['ports']).forEach((p, i) => {
          const portName = asObj(p)['name'];
          if (
            typeof portName === 'string' &&
            (portName.length > 15 || !IANA_SVC_NAME.test(portName) || portName.includes('--'))
          ) {
            findings.push(
              finding(
                this.rule,
                pod.owner,
                [...pod.specPath, ...path, 'ports', i, 'name'],
                `port name "${portName}" is not an IANA service name (at most 15 characters)`,
              ),
            );
          }
        });
      }
    }
    return findings;
  },
};
