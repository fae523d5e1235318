import { z } from 'zod';

/** security.istio.io AuthorizationPolicy and PeerAuthentication (istio-semantics §3). */

const strings = z.array(z.string()).optional();
const selectorSchema = z.looseObject({ matchLabels: z.record(z.string(), z.string()).optional() });

export const sourceSchema = z.looseObject({
  principals: strings,
  notPrincipals: strings,
  requestPrincipals: strings,
  notRequestPrincipals: strings,
  namespaces: strings,
  notNamespaces: strings,
  serviceAccounts: strings,
  notServiceAccounts: strings,
  ipBlocks: strings,
  notIpBlocks: strings,
  remoteIpBlocks: strings,
  notRemoteIpBlocks: strings,
});
export const operationSchema = z.looseObject({
  hosts: strings,
  notHosts: strings,
  ports: strings,
  notPorts: strings,
  methods: strings,
  notMethods: strings,
  paths: strings,
  notPaths: strings,
});
export const conditionSchema = z.looseObject({ key: z.string().min(1), values: strings, notValues: strings });

export const ruleSchema = z.looseObject({
  from: z.array(z.looseObject({ source: sourceSchema.optional() })).optional(),
  to: z.array(z.looseObject({ operation: operationSchema.optional() })).optional(),
  when: z.array(conditionSchema).optional(),
});

export const authorizationPolicySpecSchema = z.looseObject({
  selector: selectorSchema.optional(),
  targetRef: z.unknown().optional(),
  targetRefs: z.array(z.unknown()).optional(),
  action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']).default('ALLOW'),
  provider: z.looseObject({ name: z.string().optional() }).optional(),
  rules: z.array(ruleSchema).optional(),
});
export type AuthorizationPolicySpec = z.output<typeof authorizationPolicySpecSchema>;
export type AuthzRule = z.output<typeof ruleSchema>;
export type AuthzSource = z.output<typeof sourceSchema>;
export type AuthzOperation = z.output<typeof operationSchema>;
export type AuthzCondition = z.output<typeof conditionSchema>;

const mtlsMode = z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
export type MtlsMode = z.output<typeof mtlsMode>;

export const peerAuthenticationSpecSchema = z.looseObject({
  selector: selectorSchema.optional(),
  mtls: z.looseObject({ mode: mtlsMode.optional() }).optional(),
  portLevelMtls: z.record(z.string(), z.looseObject({ mode: mtlsMode.optional() })).optional(),
});
export type PeerAuthenticationSpec = z.output<typeof peerAuthenticationSpecSchema>;
