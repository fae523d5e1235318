import { destinationFieldConflictChecker } from './conflict/destination-field-conflict.checker.js';
import { rateLimitConflictChecker } from './conflict/rate-limit-conflict.checker.js';
import { rolloutConflictChecker } from './conflict/rollout-conflict.checker.js';
import { rolloutOverrideChecker } from './conflict/rollout-override.checker.js';
import { routeFieldConflictChecker } from './conflict/route-field-conflict.checker.js';
import { ejectionPercentChecker } from './destination/ejection-percent.checker.js';
import { failoverWithoutOutlierChecker } from './destination/failover-without-outlier.checker.js';
import { maglevSizeChecker } from './destination/maglev-size.checker.js';
import { outlierDisabledChecker } from './destination/outlier-disabled.checker.js';
import { outlierNeverEjectsChecker } from './destination/outlier-never-ejects.checker.js';
import { poolLimitChecker } from './destination/pool-limit.checker.js';
import { sameLabelsChecker } from './destination/same-labels.checker.js';
import { selectorContradictionChecker } from './destination/selector-contradiction.checker.js';
import { versionWithoutLabelsChecker } from './destination/version-without-labels.checker.js';
import { versionWithoutPodsChecker } from './destination/version-without-pods.checker.js';
import { burstBelowRateChecker } from './edge/burst-below-rate.checker.js';
import { failOpenChecker } from './edge/fail-open.checker.js';
import { literalSecretChecker } from './edge/literal-secret.checker.js';
import { noSelectorChecker } from './edge/no-selector.checker.js';
import { perReplicaChecker } from './edge/per-replica.checker.js';
import { pluginOrderChecker } from './edge/plugin-order.checker.js';
import { rateLimitMatchChecker } from './edge/rate-limit-match.checker.js';
import { rateNotPositiveChecker } from './edge/rate-not-positive.checker.js';
import { wasmDigestChecker } from './edge/wasm-digest.checker.js';
import { wasmSchemeChecker } from './edge/wasm-scheme.checker.js';
import { wasmShaChecker } from './edge/wasm-sha.checker.js';
import { duplicateServiceChecker } from './mesh/duplicate-service.checker.js';
import { foreignDestinationRuleChecker } from './mesh/foreign-destination-rule.checker.js';
import { foreignVirtualServiceChecker } from './mesh/foreign-virtual-service.checker.js';
import { generatedNameTakenChecker } from './mesh/generated-name-taken.checker.js';
import { invalidNameChecker } from './mesh/invalid-name.checker.js';
import { objectNameClashChecker } from './mesh/object-name-clash.checker.js';
import { unknownPortChecker } from './mesh/unknown-port.checker.js';
import { unsupportedMatchChecker } from './mesh/unsupported-match.checker.js';
import { abortStatusChecker } from './routing/abort-status.checker.js';
import { duplicateMatchChecker } from './routing/duplicate-match.checker.js';
import { duplicateWeightVersionChecker } from './routing/duplicate-weight-version.checker.js';
import { durationChecker } from './routing/duration.checker.js';
import { emptyMatchValueChecker } from './routing/empty-match-value.checker.js';
import { faultPercentageMissingChecker } from './routing/fault-percentage-missing.checker.js';
import { fullLinkHopChecker } from './routing/full-link-hop.checker.js';
import { headerNameChecker } from './routing/header-name.checker.js';
import { mirrorPercentageMissingChecker } from './routing/mirror-percentage-missing.checker.js';
import { mirrorSameDestinationChecker } from './routing/mirror-same-destination.checker.js';
import { negativeWeightChecker } from './routing/negative-weight.checker.js';
import { trafficToEmptyVersionChecker } from './routing/no-pods.checker.js';
import { percentageRangeChecker } from './routing/percentage-range.checker.js';
import { portMismatchChecker } from './routing/port-mismatch.checker.js';
import { redirectCodeChecker } from './routing/redirect-code.checker.js';
import { redirectWithFaultChecker } from './routing/redirect-with-fault.checker.js';
import { regexRejectedChecker } from './routing/regex-rejected.checker.js';
import { regexTooLongChecker } from './routing/regex-too-long.checker.js';
import { retriesDisabledChecker } from './routing/retries-disabled.checker.js';
import { retryBudgetChecker } from './routing/retry-budget.checker.js';
import { retryOnChecker } from './routing/retry-on.checker.js';
import { rolloutRouteChecker } from './routing/rollout-route.checker.js';
import { ruleOrderChecker } from './routing/rule-order.checker.js';
import { sourceNamespaceChecker } from './routing/source-namespace.checker.js';
import { unknownVersionChecker } from './routing/unknown-version.checker.js';
import { weightsRescaledChecker } from './routing/weights-rescaled.checker.js';
import { zeroWeightsChecker } from './routing/zero-weights.checker.js';
import { allowDenyContradictionChecker } from './security/allow-deny-contradiction.checker.js';
import { allowWithoutMtlsChecker } from './security/allow-without-mtls.checker.js';
import { denyWithoutMtlsChecker } from './security/deny-without-mtls.checker.js';
import { httpMethodChecker } from './security/http-method.checker.js';
import { invalidCidrChecker } from './security/invalid-cidr.checker.js';
import { matchesEverythingChecker } from './security/matches-everything.checker.js';
import { namespaceNameChecker } from './security/namespace-name.checker.js';
import { pathPatternChecker } from './security/path-pattern.checker.js';
import { principalFormatChecker } from './security/principal-format.checker.js';
import { remoteIpChecker } from './security/remote-ip.checker.js';
import type { Checker } from './check.types.js';
import type { CheckDefinition } from './finding.types.js';

/** Findings the compiler itself raises (not a checker over one host's model). */
export const COMPILER_DEFINITIONS = {
  internal: {
    code: 'HM0000',
    severity: 'error',
    area: 'schema',
    title: 'Internal compiler error',
    meaning:
      'The compiler failed on this host. Nothing is generated for it; report the message, it is a bug.',
  },
  schema: {
    code: 'HM0001',
    severity: 'error',
    area: 'schema',
    title: 'Policy does not match its schema',
    meaning:
      'A field is missing, has the wrong type, or is unknown (every schema is strict). The path names the field.',
  },
  orphan: {
    code: 'HM0002',
    severity: 'error',
    area: 'mesh',
    title: 'Target service not found',
    meaning:
      'The policy targets a service that is not in the mesh (or its target cannot be read), so it applies to nothing.',
  },
  istioSchema: {
    code: 'HM0007',
    severity: 'error',
    area: 'schema',
    title: "Generated object fails Istio's schema",
    meaning:
      'A generated object does not pass the Istio 1.29 CRD schema (@kubernetes-models/istio validate()); the path points into the object.',
  },
} as const satisfies Record<string, CheckDefinition>;

/** Every checker, run on every host in this order. */
export const CHECKERS: readonly Checker[] = [
  destinationFieldConflictChecker,
  rateLimitConflictChecker,
  rolloutConflictChecker,
  rolloutOverrideChecker,
  routeFieldConflictChecker,
  ejectionPercentChecker,
  failoverWithoutOutlierChecker,
  maglevSizeChecker,
  outlierDisabledChecker,
  outlierNeverEjectsChecker,
  poolLimitChecker,
  sameLabelsChecker,
  selectorContradictionChecker,
  versionWithoutLabelsChecker,
  versionWithoutPodsChecker,
  burstBelowRateChecker,
  failOpenChecker,
  literalSecretChecker,
  noSelectorChecker,
  perReplicaChecker,
  pluginOrderChecker,
  rateLimitMatchChecker,
  rateNotPositiveChecker,
  wasmDigestChecker,
  wasmSchemeChecker,
  wasmShaChecker,
  duplicateServiceChecker,
  foreignDestinationRuleChecker,
  foreignVirtualServiceChecker,
  generatedNameTakenChecker,
  invalidNameChecker,
  objectNameClashChecker,
  unknownPortChecker,
  unsupportedMatchChecker,
  abortStatusChecker,
  duplicateMatchChecker,
  duplicateWeightVersionChecker,
  durationChecker,
  emptyMatchValueChecker,
  faultPercentageMissingChecker,
  fullLinkHopChecker,
  headerNameChecker,
  mirrorPercentageMissingChecker,
  mirrorSameDestinationChecker,
  negativeWeightChecker,
  trafficToEmptyVersionChecker,
  percentageRangeChecker,
  portMismatchChecker,
  redirectCodeChecker,
  redirectWithFaultChecker,
  regexRejectedChecker,
  regexTooLongChecker,
  retriesDisabledChecker,
  retryBudgetChecker,
  retryOnChecker,
  rolloutRouteChecker,
  ruleOrderChecker,
  sourceNamespaceChecker,
  unknownVersionChecker,
  weightsRescaledChecker,
  zeroWeightsChecker,
  allowDenyContradictionChecker,
  allowWithoutMtlsChecker,
  denyWithoutMtlsChecker,
  httpMethodChecker,
  invalidCidrChecker,
  matchesEverythingChecker,
  namespaceNameChecker,
  pathPatternChecker,
  principalFormatChecker,
  remoteIpChecker,
];

/** The whole catalogue, sorted by code: what the README table lists. */
export const CHECK_CATALOGUE: readonly CheckDefinition[] = [
  ...Object.values(COMPILER_DEFINITIONS),
  ...CHECKERS.map((c) => c.definition),
].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
