import type { AuthorizationPolicySpec, PeerAuthenticationSpec } from '../config/security.schema.js';
import { AUTHZ_WHEN_KEYS } from './authz.compiler.js';
import type { SpecCheck, SpecProblem } from './validation.types.js';

/** What istiod rejects in AuthorizationPolicy and PeerAuthentication (istio-semantics §3). */

const rulesRequired: SpecCheck<AuthorizationPolicySpec> = (spec) =>
  (spec.action === 'DENY' || spec.action === 'CUSTOM') && !(spec.rules ?? []).length
    ? [{ path: ['rules'], message: `a ${spec.action} policy needs at least one rule` }]
    : [];

const customProvider: SpecCheck<AuthorizationPolicySpec> = (spec) =>
  spec.action === 'CUSTOM' && !spec.provider?.name
    ? [{ path: ['provider', 'name'], message: 'a CUSTOM policy needs provider.name' }]
    : spec.action !== 'CUSTOM' && spec.provider
      ? [{ path: ['provider'], message: 'provider is only allowed with action CUSTOM' }]
      : [];

const selectorExclusive: SpecCheck<AuthorizationPolicySpec> = (spec) =>
  spec.selector && (spec.targetRefs?.length || spec.targetRef)
    ? [{ path: ['targetRefs'], message: 'selector and targetRefs are exclusive' }]
    : [];

const sourceIdentities: SpecCheck<AuthorizationPolicySpec> = (spec) => {
  const problems: SpecProblem[] = [];
  (spec.rules ?? []).forEach((rule, i) =>
    (rule.from ?? []).forEach((f, j) => {
      const s = f.source ?? {};
      const sa = s.serviceAccounts?.length || s.notServiceAccounts?.length;
      if (
        sa &&
        (s.principals?.length || s.notPrincipals?.length || s.namespaces?.length || s.notNamespaces?.length)
      ) {
        problems.push({
          path: ['rules', i, 'from', j, 'source', 'serviceAccounts'],
          message: 'serviceAccounts cannot be combined with principals or namespaces',
        });
      }
    }),
  );
  return problems;
};

const whenKeys: SpecCheck<AuthorizationPolicySpec> = (spec) => {
  const problems: SpecProblem[] = [];
  (spec.rules ?? []).forEach((rule, i) =>
    (rule.when ?? []).forEach((cond, j) => {
      if (!AUTHZ_WHEN_KEYS.test(cond.key)) {
        problems.push({ path: ['rules', i, 'when', j, 'key'], message: `unknown condition key ${cond.key}` });
      }
      if (!cond.values?.length && !cond.notValues?.length) {
        problems.push({ path: ['rules', i, 'when', j], message: 'a condition needs values or notValues' });
      }
    }),
  );
  return problems;
};

export const AUTHORIZATION_POLICY_CHECKS: ReadonlyArray<SpecCheck<AuthorizationPolicySpec>> = [
  rulesRequired,
  customProvider,
  selectorExclusive,
  sourceIdentities,
  whenKeys,
];

const portLevelNeedsSelector: SpecCheck<PeerAuthenticationSpec> = (spec) =>
  spec.portLevelMtls && Object.keys(spec.portLevelMtls).length > 0 && !spec.selector?.matchLabels
    ? [{ path: ['portLevelMtls'], message: 'portLevelMtls is only allowed together with a selector' }]
    : [];

export const PEER_AUTHENTICATION_CHECKS: ReadonlyArray<SpecCheck<PeerAuthenticationSpec>> = [
  portLevelNeedsSelector,
];
