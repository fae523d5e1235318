import { formatJsonPath } from '@heliomesh/util';
import type { z } from 'zod';
import { envoyFilterSpecSchema, wasmPluginSpecSchema } from '../config/extensions.schema.js';
import type { KubeObject, MeshKind, MeshSnapshot } from '../config/mesh-config.types.js';
import { destinationRuleSpecSchema, virtualServiceSpecSchema } from '../config/networking.schema.js';
import { authorizationPolicySpecSchema, peerAuthenticationSpecSchema } from '../config/security.schema.js';
import type { ResolvedTopology } from '../topology/topology.types.js';
import { compileAuthorizationPolicy, type CompiledAuthorizationPolicy } from './authz.compiler.js';
import { DESTINATION_RULE_CHECKS } from './destination-rule.checker.js';
import { compileDestinationRule, type CompiledDestinationRule } from './destination-rule.compiler.js';
import { compilePeerAuthentication, type CompiledPeerAuthentication } from './peer-authentication.util.js';
import { compileEnvoyFilter, type CompiledEnvoyFilter } from './rate-limit.compiler.js';
import { compileRegistry, type ConfigProblem, type Registry } from './registry.compiler.js';
import { compileVirtualService } from './route.compiler.js';
import type { CompiledVirtualService } from './route.types.js';
import { AUTHORIZATION_POLICY_CHECKS, PEER_AUTHENTICATION_CHECKS } from './security.checker.js';
import { runChecks, type SpecCheck, type SpecProblem } from './validation.types.js';
import { VIRTUAL_SERVICE_CHECKS } from './virtual-service.checker.js';
import { recordWasmPlugin, type RecordedWasmPlugin } from './wasm-plugin.util.js';

/** Everything compiled from one config version. Request handling only reads this. */
export interface CompiledConfig {
  registry: Registry;
  virtualServices: CompiledVirtualService[];
  destinationRules: Map<string, CompiledDestinationRule[]>;
  authorizationPolicies: CompiledAuthorizationPolicy[];
  peerAuthentications: CompiledPeerAuthentication[];
  envoyFilters: CompiledEnvoyFilter[];
  wasmPlugins: RecordedWasmPlugin[];
  /** Objects istiod would reject (and the simulator therefore ignores), with the reason. */
  problems: ConfigProblem[];
}

interface Meta {
  uid: string;
  name: string;
  namespace: string;
  createdMs: number;
}

function metaOf(obj: KubeObject): Meta {
  const m = obj.metadata ?? {};
  const created = m.creationTimestamp;
  const createdMs = created instanceof Date ? created.getTime() : created ? Date.parse(created) : 0;
  return {
    uid: m.uid ?? `${m.namespace}/${m.name}`,
    name: m.name ?? '',
    namespace: m.namespace ?? 'default',
    createdMs: Number.isNaN(createdMs) ? 0 : createdMs,
  };
}

/**
 * Parses and checks each object like istiod: an object with a problem is reported and skipped,
 * never half-applied. `istio.io/dry-run` AuthorizationPolicies run in shadow mode, so they are skipped too.
 */
function validObjects<S extends z.ZodType>(
  kind: MeshKind,
  objects: readonly KubeObject[],
  schema: S,
  checks: ReadonlyArray<SpecCheck<z.output<S>>>,
  problems: ConfigProblem[],
): Array<{ spec: z.output<S>; meta: Meta }> {
  const out: Array<{ spec: z.output<S>; meta: Meta }> = [];
  for (const obj of objects) {
    const meta = metaOf(obj);
    const report = (list: SpecProblem[]): void => {
      for (const p of list) {
        problems.push({
          kind,
          namespace: meta.namespace,
          name: meta.name,
          path: formatJsonPath(['spec', ...p.path]),
          message: p.message,
        });
      }
    };
    const parsed = schema.safeParse(obj.spec ?? {});
    if (!parsed.success) {
      report(
        parsed.error.issues.map((i) => ({ path: i.path as Array<string | number>, message: i.message })),
      );
      continue;
    }
    const found = runChecks(checks, parsed.data, meta.namespace);
    if (found.length > 0) {
      report(found);
      continue;
    }
    if (obj.metadata?.annotations?.['istio.io/dry-run'] === 'true') continue;
    out.push({ spec: parsed.data, meta });
  }
  return out;
}

export function compileConfig(snapshot: MeshSnapshot, topology: ResolvedTopology): CompiledConfig {
  const problems: ConfigProblem[] = [];
  const registry = compileRegistry(snapshot, topology, problems);
  const virtualServices = validObjects(
    'VirtualService',
    snapshot.VirtualService,
    virtualServiceSpecSchema,
    VIRTUAL_SERVICE_CHECKS,
    problems,
  ).map(({ spec, meta }) => compileVirtualService(spec, meta));
  for (const vs of virtualServices) {
    vs.routes.forEach((r) => {
      if (r.action.kind === 'delegate') {
        problems.push({
          kind: 'VirtualService',
          namespace: vs.namespace,
          name: vs.name,
          path: `$.spec.http[${r.index}].delegate`,
          message: 'delegation is not simulated: requests matching this rule get 404 NR',
        });
      }
    });
  }
  const destinationRules = new Map<string, CompiledDestinationRule[]>();
  for (const { spec, meta } of validObjects(
    'DestinationRule',
    snapshot.DestinationRule,
    destinationRuleSpecSchema,
    DESTINATION_RULE_CHECKS,
    problems,
  )) {
    const dr = compileDestinationRule(spec, meta);
    destinationRules.set(dr.namespace, [...(destinationRules.get(dr.namespace) ?? []), dr]);
  }
  const authorizationPolicies = validObjects(
    'AuthorizationPolicy',
    snapshot.AuthorizationPolicy,
    authorizationPolicySpecSchema,
    AUTHORIZATION_POLICY_CHECKS,
    problems,
  )
    .filter(({ spec }) => !(spec.targetRefs?.length || spec.targetRef))
    .map(({ spec, meta }) => compileAuthorizationPolicy(spec, meta));
  const peerAuthentications = validObjects(
    'PeerAuthentication',
    snapshot.PeerAuthentication,
    peerAuthenticationSpecSchema,
    PEER_AUTHENTICATION_CHECKS,
    problems,
  ).map(({ spec, meta }) => compilePeerAuthentication(spec, meta));
  const envoyFilters = validObjects(
    'EnvoyFilter',
    snapshot.EnvoyFilter,
    envoyFilterSpecSchema,
    [],
    problems,
  ).map(({ spec, meta }) => {
    const found: SpecProblem[] = [];
    const ef = compileEnvoyFilter(spec, meta, found);
    for (const p of found) {
      problems.push({
        kind: 'EnvoyFilter',
        namespace: meta.namespace,
        name: meta.name,
        path: formatJsonPath(['spec', ...p.path]),
        message: p.message,
      });
    }
    return ef;
  });
  const wasmPlugins = validObjects('WasmPlugin', snapshot.WasmPlugin, wasmPluginSpecSchema, [], problems).map(
    ({ spec, meta }) => recordWasmPlugin(spec, meta),
  );
  return {
    registry,
    virtualServices,
    destinationRules,
    authorizationPolicies,
    peerAuthentications,
    envoyFilters,
    wasmPlugins,
    problems,
  };
}
