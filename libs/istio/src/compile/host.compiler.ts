import type { StoredPolicy } from '@heliomesh/policy';
import { assertUnreachable, errorMessage, formatJsonPath } from '@heliomesh/util';
import { groupByKind, type CheckContext } from '../checks/check.types.js';
import { CHECKERS, COMPILER_DEFINITIONS } from '../checks/catalogue.util.js';
import type { CheckDefinition, Finding, FindingDraft } from '../checks/finding.types.js';
import { compileAuthorizationPolicy } from '../emit/authorization-policy.compiler.js';
import { compileDestinationRule } from '../emit/destination-rule.compiler.js';
import { compileEnvoyFilter } from '../emit/envoy-filter.compiler.js';
import type { ExplainEntry } from '../emit/explain.types.js';
import type { IstioObject } from '../emit/istio-objects.types.js';
import { istioSchemaErrors } from '../emit/istio-schema.util.js';
import { compileVirtualService, type EmitResult } from '../emit/virtual-service.compiler.js';
import { compileWasmPlugin } from '../emit/wasm-plugin.compiler.js';
import { compareObjects } from '../emit/yaml.util.js';
import { buildHostModel } from '../model/build-host-model.util.js';
import type { HostModel } from '../model/host-model.util.js';
import { resolveRoutes } from '../model/resolve-routes.util.js';
import type { HostUnit, SnapshotIndex } from '../snapshot/snapshot-index.util.js';

export interface CompileOptions {
  /** Validate every emitted object with Istio's CRD schemas (default true). */
  validateSchemas?: boolean;
  /**
   * Explain entries (default true): computed on first access of a host's `explain`, by
   * recompiling that one host, since building them for every host of a full compile would be a
   * third of its cost and they are usually read for one host. `false` leaves them empty.
   */
  explain?: boolean;
}

/** The outcome for one host: its objects (empty when an error blocks it), findings and explain. */
export interface HostResult {
  host: string;
  namespace: string;
  service: string;
  /** False when an error finding kept this host's objects from being emitted. */
  emitted: boolean;
  objects: IstioObject[];
  findings: Finding[];
  /** For each generated field, the input that produced it. Empty when nothing is emitted. */
  explain: ExplainEntry[];
}

export function toFinding(definition: CheckDefinition, draft: FindingDraft, host?: string): Finding {
  const finding: Finding = {
    code: definition.code,
    severity: definition.severity,
    message: draft.message,
    path: formatJsonPath(draft.path ?? []),
  };
  if (host !== undefined) finding.host = host;
  if (draft.policyIds?.length) finding.policyIds = [...new Set(draft.policyIds)].sort();
  if (draft.rolloutId !== undefined) finding.rolloutId = draft.rolloutId;
  if (draft.object !== undefined) finding.object = draft.object;
  return finding;
}

export function compareFindings(a: Finding, b: Finding): number {
  const key = (f: Finding) => [
    f.host ?? '',
    f.code,
    (f.policyIds ?? []).join(','),
    f.rolloutId ?? '',
    f.path,
    f.object ?? '',
    f.message,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

function emitObjects(
  model: HostModel,
  index: SnapshotIndex,
  routes: ReturnType<typeof resolveRoutes>,
  withExplain: boolean,
): EmitResult<IstioObject>[] {
  const tenant = index.snapshot.tenant.name;
  const out: EmitResult<IstioObject>[] = [
    compileVirtualService(model, routes, tenant, withExplain),
    compileDestinationRule(model, tenant, withExplain),
  ];
  for (const policy of model.edge) {
    switch (policy.kind) {
      case 'AccessControl':
        out.push(compileAuthorizationPolicy(policy, model.service, tenant));
        break;
      case 'RateLimit':
        out.push(compileEnvoyFilter(policy, model.service, tenant));
        break;
      case 'Plugin':
        out.push(compileWasmPlugin(policy, model.service, tenant));
        break;
      case 'TrafficSplit':
      case 'RequestRouting':
      case 'FaultInjection':
      case 'TrafficMirror':
      case 'Timeout':
      case 'Retry':
      case 'CircuitBreaker':
      case 'LoadBalancer':
      case 'HeaderPolicy':
        break;
      default:
        assertUnreachable(policy, 'policy kind');
    }
  }
  return out;
}

function compileChecked(
  unit: HostUnit,
  index: SnapshotIndex,
  options: CompileOptions,
  withExplain: boolean,
): Omit<HostResult, 'host' | 'namespace' | 'service'> {
  const findings: Finding[] = [];
  const valid: StoredPolicy[] = [];
  for (const entry of unit.policies) {
    if (entry.issues.length === 0) valid.push(entry.policy);
    for (const issue of entry.issues)
      findings.push(
        toFinding(
          COMPILER_DEFINITIONS.schema,
          { message: issue.message, path: issue.path, policyIds: [String(entry.policy.id)] },
          unit.host,
        ),
      );
  }
  const model = buildHostModel(unit, valid);
  const routes = resolveRoutes(model);
  const ctx: CheckContext = { unit, index, policies: valid, model, routes, byKind: groupByKind(valid) };
  for (const checker of CHECKERS)
    for (const draft of checker.check(ctx)) findings.push(toFinding(checker.definition, draft, unit.host));
  const emitted = emitObjects(model, index, routes, withExplain);
  const blocked = () => findings.some((f) => f.severity === 'error');
  if (!blocked() && options.validateSchemas !== false)
    for (const { object } of emitted)
      for (const error of istioSchemaErrors(object))
        findings.push(
          toFinding(
            COMPILER_DEFINITIONS.istioSchema,
            {
              message: error.message,
              path: error.path,
              object: `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`,
            },
            unit.host,
          ),
        );
  findings.sort(compareFindings);
  if (blocked()) return { emitted: false, objects: [], findings, explain: [] };
  return {
    emitted: true,
    objects: emitted.map((e) => e.object).sort(compareObjects),
    findings,
    explain: withExplain ? emitted.flatMap((e) => e.explain) : [],
  };
}

/**
 * Compiles one host from its unit. Any error finding blocks the host's output (other hosts are
 * unaffected). A failure inside the compiler becomes an HM0000 finding rather than an exception,
 * so no input can crash a caller.
 */
export function compileUnit(unit: HostUnit, index: SnapshotIndex, options: CompileOptions = {}): HostResult {
  const head = { host: unit.host, namespace: unit.service.namespace, service: unit.service.name };
  try {
    const result: HostResult = { ...head, ...compileChecked(unit, index, options, false) };
    if (!result.emitted || options.explain === false) return result;
    let explain: ExplainEntry[] | undefined;
    // Same inputs, same objects: only the explain entries are built this time.
    return Object.defineProperty(result, 'explain', {
      enumerable: true,
      get: () =>
        (explain ??= compileChecked(unit, index, { ...options, validateSchemas: false }, true).explain),
    });
  } catch (err) {
    return {
      ...head,
      emitted: false,
      objects: [],
      explain: [],
      findings: [
        toFinding(
          COMPILER_DEFINITIONS.internal,
          { message: `internal compiler error: ${errorMessage(err)}` },
          unit.host,
        ),
      ],
    };
  }
}
