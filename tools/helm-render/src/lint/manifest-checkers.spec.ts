import { describe, expect, it } from 'vitest';
import type { RenderedManifest } from '../chart/chart.types.js';
import { toManifest } from '../chart/manifest.util.js';
import { hookOrderChecker } from './hook-order.checker.js';
import { hpaTargetChecker } from './hpa-target.checker.js';
import { ingressBackendChecker } from './ingress-backend.checker.js';
import { validateKubeSchemas } from './kube-schema.util.js';
import type { ExternalObjects, ManifestChecker } from './lint.types.js';
import { networkPolicyChecker } from './network-policy.checker.js';
import { objectNameChecker } from './object-name.checker.js';
import { pdbSelectorChecker } from './pdb-selector.checker.js';
import { probePortChecker } from './probe-port.checker.js';
import { rbacBindingChecker } from './rbac-binding.checker.js';
import { referenceChecker } from './reference.checker.js';
import { serviceMonitorChecker } from './service-monitor.checker.js';
import { serviceSelectorChecker } from './service-selector.checker.js';

/** Objects as JSON (which is YAML), so fixtures read like the manifests they stand for. */
function obj(o: Record<string, unknown>): RenderedManifest {
  return toManifest('fixture.yaml', JSON.stringify(o))!;
}

const hook = (events: string, weight: number) => ({
  'helm.sh/hook': events,
  'helm.sh/hook-weight': String(weight),
});

function deployment(
  opts: {
    labels?: Record<string, string>;
    pod?: Record<string, unknown>;
    replicas?: number;
    annotations?: object;
  } = {},
) {
  const labels = opts.labels ?? { app: 'api' };
  return obj({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'api',
      namespace: 'ns',
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    },
    spec: {
      ...(opts.replicas === undefined ? {} : { replicas: opts.replicas }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'api',
          containers: [
            {
              name: 'api',
              image: 'api:1',
              ports: [{ name: 'http', containerPort: 3000 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
              envFrom: [{ configMapRef: { name: 'cfg' } }],
              env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'X' } } }],
            },
          ],
        },
      },
      ...opts.pod,
    },
  });
}

const service = (
  selector: Record<string, string>,
  targetPort: string | number = 'http',
  labels = { app: 'api' },
) =>
  obj({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'ns', labels },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort }] },
  });
const configMap = (annotations?: object) =>
  obj({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'ns', ...(annotations ? { annotations } : {}) },
    data: {},
  });
const secret = (data: Record<string, string>, name = 'sec', annotations?: object) =>
  obj({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) },
    data,
  });
const serviceAccount = (name = 'api') =>
  obj({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'ns' } });
const base = () => [
  deployment(),
  service({ app: 'api' }),
  configMap(),
  secret({ X: 'eA==' }),
  serviceAccount(),
];

function run(checker: ManifestChecker, manifests: RenderedManifest[], external: ExternalObjects = {}) {
  return checker.check({ manifests, external }).map((f) => `${f.object} ${f.path}: ${f.message}`);
}

describe('each checker accepts a consistent set', () => {
  it.each([
    referenceChecker,
    serviceSelectorChecker,
    probePortChecker,
    pdbSelectorChecker,
    objectNameChecker,
    hookOrderChecker,
  ])('$rule', (checker) => {
    expect(run(checker, base())).toEqual([]);
  });
});

describe('each checker reports what breaks its rule', () => {
  it('pod-references: a missing ConfigMap, a missing key, an unknown ServiceAccount', () => {
    const broken = [deployment(), secret({ OTHER: 'eA==' })];
    expect(run(referenceChecker, broken)).toEqual([
      'Deployment/ns/api $.spec.template.spec.serviceAccountName: ServiceAccount "api" is neither rendered by the chart nor a documented external object',
      'Deployment/ns/api $.spec.template.spec.containers[0].envFrom[0].configMapRef: ConfigMap "cfg" is neither rendered by the chart nor a documented external object',
      'Deployment/ns/api $.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef: Secret "sec" has no key "X"',
    ]);
    expect(
      run(referenceChecker, [deployment(), secret({ X: 'eA==' })], {
        configMaps: ['cfg'],
        serviceAccounts: ['api'],
      }),
    ).toEqual([]);
  });

  it('service-selector: a selector that matches no pods, a targetPort no pod exposes', () => {
    expect(run(serviceSelectorChecker, [deployment(), service({ app: 'web' })])).toEqual([
      'Service/ns/api $.spec.selector: selects no pod template rendered by the chart',
    ]);
    expect(run(serviceSelectorChecker, [deployment(), service({ app: 'api' }, 'metrics')])).toEqual([
      'Service/ns/api $.spec.ports[0].targetPort: targetPort metrics is not a port of every selected pod',
    ]);
    expect(run(serviceSelectorChecker, [deployment(), service({ app: 'api' }, 3000)])).toEqual([]);
  });

  it('probe-port: a probe on a port the container does not declare', () => {
    const pod = deployment();
    const podSpec = pod.object['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } };
    podSpec.template.spec.containers[0]!['livenessProbe'] = { tcpSocket: { port: 9000 } };
    expect(run(probePortChecker, [pod])).toEqual([
      'Deployment/ns/api $.spec.template.spec.containers[0].livenessProbe.tcpSocket.port: probe port 9000 is not a port of container "api"',
    ]);
  });

  it('rbac-binding: a binding to a role or ServiceAccount that is not there', () => {
    const binding = obj({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bind' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
      subjects: [
        { kind: 'ServiceAccount', name: 'ghost', namespace: 'ns' },
        { kind: 'ServiceAccount', name: 'api' },
      ],
    });
    expect(run(rbacBindingChecker, [binding, serviceAccount()])).toEqual([
      'ClusterRoleBinding/bind $.roleRef: ClusterRole "reader" is not rendered by the chart',
      'ClusterRoleBinding/bind $.subjects[0]: ServiceAccount "ghost" is neither rendered nor external',
      'ClusterRoleBinding/bind $.subjects[1].namespace: a ServiceAccount subject of a ClusterRoleBinding needs a namespace',
    ]);
  });

  it('pdb-selector: a budget that protects no pods', () => {
    const pdb = (labels: object) =>
      obj({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'api', namespace: 'ns' },
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      });
    expect(run(pdbSelectorChecker, [deployment(), pdb({ app: 'api' })])).toEqual([]);
    expect(run(pdbSelectorChecker, [deployment(), pdb({ app: 'api', tier: 'x' })])).toEqual([
      'PodDisruptionBudget/ns/api $.spec.selector: selects no pod template rendered by the chart',
    ]);
  });

  it('hpa-target: a missing target, and a target that pins replicas', () => {
    const hpa = obj({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'ns' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3 },
    });
    expect(run(hpaTargetChecker, [hpa])).toEqual([
      'HorizontalPodAutoscaler/ns/api $.spec.scaleTargetRef: Deployment "api" is not rendered by the chart',
    ]);
    expect(run(hpaTargetChecker, [hpa, deployment({ replicas: 2 })])).toEqual([
      'HorizontalPodAutoscaler/ns/api $.spec.scaleTargetRef: Deployment "api" sets spec.replicas, which would fight this autoscaler',
    ]);
    expect(run(hpaTargetChecker, [hpa, deployment()])).toEqual([]);
  });

  it('service-monitor: selects no Service, or scrapes a port the Service does not name', () => {
    const sm = (labels: object, port: string) =>
      obj({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'api', namespace: 'ns' },
        spec: { selector: { matchLabels: labels }, endpoints: [{ port }] },
      });
    expect(run(serviceMonitorChecker, [service({ app: 'api' }), sm({ app: 'api' }, 'http')])).toEqual([]);
    expect(run(serviceMonitorChecker, [service({ app: 'api' }), sm({ app: 'web' }, 'http')])).toEqual([
      'ServiceMonitor/ns/api $.spec.selector: selects no Service rendered by the chart',
    ]);
    expect(run(serviceMonitorChecker, [service({ app: 'api' }), sm({ app: 'api' }, 'metrics')])).toEqual([
      'ServiceMonitor/ns/api $.spec.endpoints[0].port: port "metrics" is not named by every selected Service',
    ]);
  });

  it('network-policy: applies to no pods, or opens a port the pods do not have', () => {
    const np = (labels: object, port: string) =>
      obj({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'api', namespace: 'ns' },
        spec: { podSelector: { matchLabels: labels }, ingress: [{ ports: [{ port }] }] },
      });
    expect(run(networkPolicyChecker, [deployment(), np({ app: 'api' }, 'http')])).toEqual([]);
    expect(run(networkPolicyChecker, [deployment(), np({ app: 'web' }, 'http')])).toEqual([
      'NetworkPolicy/ns/api $.spec.podSelector: selects no pod template rendered by the chart',
    ]);
    expect(run(networkPolicyChecker, [deployment(), np({ app: 'api' }, 'grpc')])).toEqual([
      'NetworkPolicy/ns/api $.spec.ingress[0].ports[0].port: port "grpc" is not a port of every selected pod',
    ]);
  });

  it('ingress-backend: a backend Service or port that is not there', () => {
    const ing = (name: string, port: object) =>
      obj({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'api', namespace: 'ns' },
        spec: {
          rules: [
            { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port } } }] } },
          ],
        },
      });
    expect(run(ingressBackendChecker, [service({ app: 'api' }), ing('api', { name: 'http' })])).toEqual([]);
    expect(run(ingressBackendChecker, [service({ app: 'api' }), ing('api', { number: 81 })])).toEqual([
      'Ingress/ns/api $.spec.rules[0].http.paths[0].backend.service.port: Service "api" has no such port',
    ]);
    expect(run(ingressBackendChecker, [ing('web', { name: 'http' })])).toEqual([
      'Ingress/ns/api $.spec.rules[0].http.paths[0].backend.service: Service "web" is not rendered by the chart',
    ]);
  });

  it('hook-order: a pre-install hook that needs regular objects or later hooks', () => {
    const job = deployment({ annotations: hook('pre-install,pre-upgrade', 0) });
    expect(
      run(hookOrderChecker, [
        job,
        configMap(),
        secret({ X: 'eA==' }, 'sec', hook('pre-install', -5)),
        serviceAccount(),
      ]),
    ).toEqual([
      'Deployment/ns/api $.spec.template.spec.serviceAccountName: ServiceAccount "api" is a regular release object, created only after this hook has run; make it a hook of lower weight or an external object',
      'Deployment/ns/api $.spec.template.spec.containers[0].envFrom[0].configMapRef: ConfigMap "cfg" is a regular release object, created only after this hook has run; make it a hook of lower weight or an external object',
      'Deployment/ns/api $.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef: Secret "sec" is not a hook for pre-upgrade, so it does not exist when this hook runs then',
    ]);
    const ordered = [
      job,
      configMap(hook('pre-install,pre-upgrade', -1)),
      secret({ X: 'eA==' }, 'sec', hook('pre-install,pre-upgrade', 0)),
    ];
    expect(run(hookOrderChecker, ordered)).toEqual([
      'Deployment/ns/api $.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef: Secret "sec" has hook weight 0, not lower than this hook\'s 0',
    ]);
  });

  it('object-name: names and labels the API server would refuse', () => {
    const bad = obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '1st-api', namespace: 'ns', labels: { 'app/': 'x', ok: 'a'.repeat(64) } },
      spec: {},
    });
    expect(run(objectNameChecker, [bad])).toEqual([
      'Service/ns/1st-api $.metadata.name: a Service name must be a DNS-1035 label: at most 63 lowercase letters, digits and dashes, starting with a letter',
      'Service/ns/1st-api $.metadata.labels["app/"]: label key "app/" is not a valid label name',
      `Service/ns/1st-api $.metadata.labels.ok: label ok="${'a'.repeat(64)}" has an invalid value (at most 63 characters, alphanumeric at both ends)`,
    ]);
  });
});

describe('kube-schema', () => {
  it('validates objects against the kubernetes-models schemas', async () => {
    expect(await validateKubeSchemas(base())).toEqual([]);
    const wrong = deployment({ pod: { replicas: 'two' } });
    const missing = obj({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const findings = await validateKubeSchemas([wrong, missing]);
    expect(findings.map((f) => `${f.object} ${f.path}: ${f.message}`)).toEqual([
      'Deployment/ns/api $.spec.replicas: must be integer',
      'Widget/w $.kind: no schema for example.com/v1 Widget in kubernetes-models',
    ]);
  });
});
