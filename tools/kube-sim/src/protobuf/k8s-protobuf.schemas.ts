/**
 * Field numbers of the Kubernetes protobuf messages kubectl's typed clients send (the
 * `create namespace|configmap|secret|serviceaccount|deployment|service` generators and `run`),
 * from k8s.io/api and k8s.io/apimachinery generated.proto. Fields not listed are skipped.
 * `keepZero` marks pointer fields whose zero value is meaningful (replicas: 0).
 */
export type FieldType =
  | 'string'
  | 'int'
  | 'bool'
  | 'bytes'
  | 'time'
  | 'intOrString'
  | 'quantity'
  | 'map<string,string>'
  | 'map<string,bytes>'
  | 'map<string,quantity>'
  | { message: string };

export interface FieldDef {
  name: string;
  type: FieldType;
  repeated?: boolean;
  keepZero?: boolean;
}

type Fields = Record<number, FieldDef>;

const s = (name: string): FieldDef => ({ name, type: 'string' });
const i = (name: string, keepZero = false): FieldDef => ({ name, type: 'int', keepZero });
const b = (name: string): FieldDef => ({ name, type: 'bool' });
const m = (name: string, message: string, repeated = false): FieldDef => ({
  name,
  type: { message },
  repeated,
});
const rs = (name: string): FieldDef => ({ name, type: 'string', repeated: true });
const map = (name: string): FieldDef => ({ name, type: 'map<string,string>' });

export const messages: Record<string, Fields> = {
  Unknown: {
    1: m('typeMeta', 'TypeMeta'),
    2: { name: 'raw', type: 'bytes' },
    3: s('contentEncoding'),
    4: s('contentType'),
  },
  TypeMeta: { 1: s('apiVersion'), 2: s('kind') },
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: i('generation'),
    8: { name: 'creationTimestamp', type: 'time' },
    9: { name: 'deletionTimestamp', type: 'time' },
    10: i('deletionGracePeriodSeconds'),
    11: map('labels'),
    12: map('annotations'),
    13: m('ownerReferences', 'OwnerReference', true),
    14: rs('finalizers'),
  },
  OwnerReference: {
    1: s('kind'),
    3: s('name'),
    4: s('uid'),
    5: s('apiVersion'),
    6: b('controller'),
    7: b('blockOwnerDeletion'),
  },
  LabelSelector: { 1: map('matchLabels'), 2: m('matchExpressions', 'LabelSelectorRequirement', true) },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: rs('values') },
  LocalObjectReference: { 1: s('name') },
  ObjectReference: {
    1: s('kind'),
    2: s('namespace'),
    3: s('name'),
    4: s('uid'),
    5: s('apiVersion'),
    6: s('resourceVersion'),
    7: s('fieldPath'),
  },
  Namespace: {
    1: m('metadata', 'ObjectMeta'),
    2: m('spec', 'NamespaceSpec'),
    3: m('status', 'NamespaceStatus'),
  },
  NamespaceSpec: { 1: rs('finalizers') },
  NamespaceStatus: { 1: s('phase') },
  ConfigMap: {
    1: m('metadata', 'ObjectMeta'),
    2: map('data'),
    3: { name: 'binaryData', type: 'map<string,bytes>' },
    4: b('immutable'),
  },
  Secret: {
    1: m('metadata', 'ObjectMeta'),
    2: { name: 'data', type: 'map<string,bytes>' },
    3: s('type'),
    4: map('stringData'),
    5: b('immutable'),
  },
  ServiceAccount: {
    1: m('metadata', 'ObjectMeta'),
    2: m('secrets', 'ObjectReference', true),
    3: m('imagePullSecrets', 'LocalObjectReference', true),
    4: b('automountServiceAccountToken'),
  },
  Deployment: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'DeploymentSpec') },
  DeploymentSpec: {
    1: i('replicas', true),
    2: m('selector', 'LabelSelector'),
    3: m('template', 'PodTemplateSpec'),
    4: m('strategy', 'DeploymentStrategy'),
    5: i('minReadySeconds'),
    6: i('revisionHistoryLimit', true),
    7: b('paused'),
    9: i('progressDeadlineSeconds', true),
  },
  DeploymentStrategy: { 1: s('type'), 2: m('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: {
    1: { name: 'maxUnavailable', type: 'intOrString' },
    2: { name: 'maxSurge', type: 'intOrString' },
  },
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  Pod: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    2: m('containers', 'Container', true),
    3: s('restartPolicy'),
    4: i('terminationGracePeriodSeconds', true),
    5: i('activeDeadlineSeconds', true),
    6: s('dnsPolicy'),
    7: map('nodeSelector'),
    8: s('serviceAccountName'),
    10: s('nodeName'),
    11: b('hostNetwork'),
    15: m('imagePullSecrets', 'LocalObjectReference', true),
    16: s('hostname'),
    17: s('subdomain'),
    19: s('schedulerName'),
    20: m('initContainers', 'Container', true),
    24: s('priorityClassName'),
  },
  Container: {
    1: s('name'),
    2: s('image'),
    3: rs('command'),
    4: rs('args'),
    5: s('workingDir'),
    6: m('ports', 'ContainerPort', true),
    7: m('env', 'EnvVar', true),
    8: m('resources', 'ResourceRequirements'),
    13: s('terminationMessagePath'),
    14: s('imagePullPolicy'),
    16: b('stdin'),
    17: b('stdinOnce'),
    18: b('tty'),
    20: s('terminationMessagePolicy'),
  },
  ContainerPort: { 1: s('name'), 2: i('hostPort'), 3: i('containerPort'), 4: s('protocol'), 5: s('hostIP') },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: {
    1: { name: 'limits', type: 'map<string,quantity>' },
    2: { name: 'requests', type: 'map<string,quantity>' },
  },
  Service: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ServiceSpec') },
  ServiceSpec: {
    1: m('ports', 'ServicePort', true),
    2: map('selector'),
    3: s('clusterIP'),
    4: s('type'),
    5: rs('externalIPs'),
    7: s('sessionAffinity'),
    8: s('loadBalancerIP'),
    10: s('externalName'),
    11: s('externalTrafficPolicy'),
    13: b('publishNotReadyAddresses'),
  },
  ServicePort: {
    1: s('name'),
    2: s('protocol'),
    3: i('port'),
    4: { name: 'targetPort', type: 'intOrString' },
    5: i('nodePort'),
    6: s('appProtocol'),
  },
};

/** Which message a request body holds, by its TypeMeta kind. */
export const topLevelKinds = new Set([
  'Namespace',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Deployment',
  'Pod',
  'Service',
]);
