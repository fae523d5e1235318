import type { WasmPluginSpec } from '../config/extensions.schema.js';
import type { PodInfo } from './engine.types.js';
import { labelsMatch } from './registry.compiler.js';

/** A WasmPlugin as recorded: where it would run, never executed (istio-semantics §4.4). */
export interface RecordedWasmPlugin {
  name: string;
  namespace: string;
  url: string;
  phase: WasmPluginSpec['phase'];
  priority: number | undefined;
  failStrategy: WasmPluginSpec['failStrategy'];
  modes: string[];
  selector: Readonly<Record<string, string>> | undefined;
  targetRefs: boolean;
}

const PHASE_ORDER: Record<WasmPluginSpec['phase'], number> = {
  AUTHN: 0,
  AUTHZ: 1,
  STATS: 2,
  UNSPECIFIED_PHASE: 3,
};

export function recordWasmPlugin(
  spec: WasmPluginSpec,
  meta: { name: string; namespace: string },
): RecordedWasmPlugin {
  return {
    ...meta,
    url: spec.url,
    phase: spec.phase,
    priority: spec.priority,
    failStrategy: spec.failStrategy,
    modes: (spec.match ?? []).map((m) => m.mode ?? 'CLIENT_AND_SERVER'),
    selector: spec.selector?.matchLabels,
    targetRefs: (spec.targetRefs?.length ?? 0) > 0,
  };
}

/**
 * §4.4: the plugins that would attach to a pod, in chain order: by phase slot, then higher
 * priority first, an unset priority last. selector defaults to the namespace (the mesh from the
 * root namespace); targetRefs plugins are for gateways and waypoints.
 */
export function wasmChainForPod(
  plugins: ReadonlyArray<RecordedWasmPlugin>,
  pod: PodInfo,
  rootNamespace: string,
): RecordedWasmPlugin[] {
  return plugins
    .filter(
      (p) =>
        !p.targetRefs &&
        (p.namespace === pod.namespace || p.namespace === rootNamespace) &&
        (!p.selector || labelsMatch(p.selector, pod.labels)),
    )
    .sort(
      (a, b) =>
        PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
        (b.priority ?? Number.MIN_SAFE_INTEGER) - (a.priority ?? Number.MIN_SAFE_INTEGER) ||
        a.name.localeCompare(b.name),
    );
}
