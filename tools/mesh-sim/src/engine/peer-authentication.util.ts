import type { MtlsMode, PeerAuthenticationSpec } from '../config/security.schema.js';
import type { PodInfo } from './engine.types.js';
import { labelsMatch } from './registry.compiler.js';

export interface CompiledPeerAuthentication {
  name: string;
  namespace: string;
  createdMs: number;
  selector: Readonly<Record<string, string>> | undefined;
  mode: MtlsMode;
  portModes: ReadonlyMap<number, MtlsMode>;
}

export type EffectiveMtls = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export function compilePeerAuthentication(
  spec: PeerAuthenticationSpec,
  meta: { name: string; namespace: string; createdMs: number },
): CompiledPeerAuthentication {
  const portModes = new Map<number, MtlsMode>();
  for (const [port, value] of Object.entries(spec.portLevelMtls ?? {})) {
    if (value.mode) portModes.set(Number(port), value.mode);
  }
  return { ...meta, selector: spec.selector?.matchLabels, mode: spec.mtls?.mode ?? 'UNSET', portModes };
}

/**
 * istio-semantics §3: precedence workload selector > namespace > root namespace; UNSET inherits
 * from the next level, and PERMISSIVE applies when nothing is set. portLevelMtls (selector only)
 * overrides for its port. Among peers the oldest policy wins.
 */
export function effectiveMtls(
  policies: ReadonlyArray<CompiledPeerAuthentication>,
  pod: PodInfo,
  targetPort: number,
  rootNamespace: string,
): EffectiveMtls {
  const oldest = (list: CompiledPeerAuthentication[]): CompiledPeerAuthentication | undefined =>
    list.sort((a, b) => a.createdMs - b.createdMs || a.name.localeCompare(b.name))[0];
  const workload = oldest(
    policies.filter(
      (p) => p.namespace === pod.namespace && p.selector && labelsMatch(p.selector, pod.labels),
    ),
  );
  const namespace = oldest(policies.filter((p) => p.namespace === pod.namespace && !p.selector));
  const root = oldest(policies.filter((p) => p.namespace === rootNamespace && !p.selector));
  const levels: MtlsMode[] = [
    workload?.portModes.get(targetPort) ?? 'UNSET',
    workload?.mode ?? 'UNSET',
    namespace?.mode ?? 'UNSET',
    root?.mode ?? 'UNSET',
  ];
  for (const mode of levels) if (mode !== 'UNSET') return mode;
  return 'PERMISSIVE';
}
