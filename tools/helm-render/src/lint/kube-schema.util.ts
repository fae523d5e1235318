import type { RenderedManifest } from '../chart/chart.types.js';
import type { Finding } from './lint.types.js';
import { finding } from './manifest-index.util.js';

/**
 * Validates rendered objects against the OpenAPI schemas shipped by kubernetes-models (core
 * kinds) and its sibling packages (CRDs). These schemas check types, enums and required fields;
 * they do not reject unknown fields (see object-name.checker.ts for the API server's own rules).
 */

export const KUBE_SCHEMA_RULE = 'kube-schema';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The npm package holding the model classes of an API group. */
function modelPackage(group: string): string {
  if (group === 'monitoring.coreos.com') return '@kubernetes-models/prometheus-operator';
  if (group.endsWith('.istio.io')) return '@kubernetes-models/istio';
  return 'kubernetes-models';
}

async function loadModel(apiVersion: string, kind: string): Promise<ModelClass | null> {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!/^[a-z0-9.-]*$/.test(group) || !/^[A-Za-z0-9]+$/.test(kind) || !/^[a-z0-9./-]+$/.test(apiVersion))
    return null;
  try {
    const mod = (await import(`${modelPackage(group)}/${apiVersion}/${kind}`)) as Record<string, unknown>;
    return (mod[kind] as ModelClass | undefined) ?? null;
  } catch {
    return null;
  }
}

interface SchemaError {
  instancePath?: string;
  message?: string;
}

function pointerPath(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export async function validateKubeSchemas(manifests: readonly RenderedManifest[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const m of manifests) {
    const Model = await loadModel(m.apiVersion, m.kind);
    if (!Model) {
      findings.push(
        finding(
          KUBE_SCHEMA_RULE,
          m,
          ['kind'],
          `no schema for ${m.apiVersion} ${m.kind} in kubernetes-models`,
        ),
      );
      continue;
    }
    try {
      new Model(m.object).validate();
    } catch (e) {
      const errors = (e as { errors?: SchemaError[] }).errors ?? [{ instancePath: '', message: String(e) }];
      for (const err of errors) {
        findings.push(
          finding(KUBE_SCHEMA_RULE, m, pointerPath(err.instancePath ?? ''), err.message ?? 'is invalid'),
        );
      }
    }
  }
  return findings;
}
