import type { StoredPolicyOf } from '@heliomesh/policy';
import type { ClaimSource } from '../model/claims.util.js';
import type { MeshService } from '../snapshot/snapshot.types.js';
import type { WasmPlugin } from './istio-objects.types.js';
import {
  explainFrom,
  explainFromService,
  generatedName,
  objectMeta,
  sortKeysDeep,
} from './object-meta.util.js';
import type { EmitResult } from './virtual-service.compiler.js';
import { findPort, workloadPort, workloadSelector } from './workload.util.js';

/**
 * One WasmPlugin per Plugin, on the service's pods. The mode defaults to SERVER (requests to the
 * service), not Istio's CLIENT_AND_SERVER, which would also run it on the pods' outbound calls.
 */
export function compileWasmPlugin(
  policy: StoredPolicyOf<'Plugin'>,
  service: MeshService,
  tenant: string,
): EmitResult<WasmPlugin> {
  const ref = { kind: 'WasmPlugin' as const, name: generatedName(policy.name), namespace: service.namespace };
  const source: ClaimSource = { kind: 'policy', policy, path: ['spec'] };
  const { url, sha256, phase, priority, mode, pluginName, config, failStrategy, imagePullSecret, env } =
    policy.spec;
  const port = findPort(service, policy.target.port);
  const spec: WasmPlugin['spec'] = {
    selector: { matchLabels: workloadSelector(service) },
    url,
    match: [{ mode: mode ?? 'SERVER', ...(port ? { ports: [{ number: workloadPort(port) }] } : {}) }],
  };
  if (sha256 !== undefined) spec['sha256'] = sha256;
  if (phase !== undefined) spec['phase'] = phase;
  if (priority !== undefined) spec['priority'] = priority;
  if (pluginName !== undefined) spec['pluginName'] = pluginName;
  if (config !== undefined) spec['pluginConfig'] = config;
  if (failStrategy !== undefined) spec['failStrategy'] = failStrategy;
  if (imagePullSecret !== undefined) spec['imagePullSecret'] = imagePullSecret;
  if (env !== undefined)
    spec['vmConfig'] = {
      env: env.map((e) =>
        e.fromHost
          ? { name: e.name, valueFrom: 'HOST' }
          : { name: e.name, value: e.value, valueFrom: 'INLINE' },
      ),
    };
  const object: WasmPlugin = {
    apiVersion: 'extensions.istio.io/v1alpha1',
    kind: 'WasmPlugin',
    metadata: objectMeta(ref.name, service.namespace, tenant, service.name, [source]),
    spec: sortKeysDeep(spec),
  };
  return {
    object,
    explain: [
      explainFromService(ref, ['spec', 'selector'], `pods of service ${service.namespace}/${service.name}`),
      explainFrom(ref, ['spec'], source),
    ],
  };
}
