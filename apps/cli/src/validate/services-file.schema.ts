import { parse } from 'yaml';
import { z } from 'zod';
import type { MeshService, MtlsMode } from '@heliomesh/istio';
import { dnsLabelSchema, issuesFromZod, versionNameSchema } from '@heliomesh/policy';
import { errorMessage, formatJsonPath } from '@heliomesh/util';
import type { SourceFinding } from '../files/policy-sources.util.js';

const labels = z.record(z.string().min(1).max(317), z.string().max(63));

const versionSchema = z.strictObject({
  name: versionNameSchema,
  /** Default: `{ app: <service>, version: <name> }`, the demo shop's and bookinfo's convention. */
  labels: labels.optional(),
  pods: z.int().min(0).max(1_000_000).default(1),
});

const portSchema = z.strictObject({
  name: z.string().max(63).optional(),
  port: z.int().min(1).max(65_535),
  targetPort: z.int().min(1).max(65_535).optional(),
  protocol: z.string().max(16).optional(),
});

/**
 * One service as a user writes it, or as `heliomesh get services -o yaml` prints it (so a
 * pipeline can snapshot the cluster's services once and validate offline against them).
 */
const serviceSchema = z.strictObject({
  name: dnsLabelSchema,
  namespace: dnsLabelSchema,
  ports: z.array(portSchema).max(100).default([]),
  versions: z.array(versionSchema).max(100).default([]),
  selector: labels.optional(),
  id: z.string().optional(),
  cluster: z.string().optional(),
  discoveredAt: z.string().optional(),
  /** Services gone from the cluster are left out, as the API's compiler does. */
  removed: z.boolean().optional(),
});

const MTLS_MODES = ['STRICT', 'PERMISSIVE', 'DISABLE'] as const satisfies readonly MtlsMode[];

const serviceListSchema = z.array(serviceSchema).max(10_000);

const servicesObjectSchema = z.strictObject({
  services: serviceListSchema,
  /** PeerAuthentication mode per namespace; PERMISSIVE when absent, as in Istio. */
  mtls: z.record(dnsLabelSchema, z.enum(MTLS_MODES)).optional(),
});

export interface ServicesSnapshot {
  services: MeshService[];
  mtls: Record<string, MtlsMode>;
}

export type ServicesFileResult =
  { ok: true; value: ServicesSnapshot } | { ok: false; findings: SourceFinding[] };

/** Parses `--services FILE`. Never throws on bad input: problems come back as findings on the file. */
export function parseServicesFile(text: string, file: string): ServicesFileResult {
  const problem = (path: string, message: string): SourceFinding => ({
    file,
    document: 0,
    path,
    code: 'SERVICES_INVALID',
    severity: 'error',
    message,
  });
  let raw: unknown;
  try {
    // YAML 1.2, as `heliomesh get services -o yaml` writes it (1.1 would turn discoveredAt into a Date).
    raw = parse(text, { uniqueKeys: true, maxAliasCount: 100, logLevel: 'error' });
  } catch (err) {
    return { ok: false, findings: [problem('$', `not YAML: ${errorMessage(err)}`)] };
  }
  // A list, or an object with the list and the mTLS modes: checked against the form it has, so
  // every problem is reported at its own path.
  const parsed = Array.isArray(raw) ? serviceListSchema.safeParse(raw) : servicesObjectSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      findings: issuesFromZod(parsed.error).map((i) => problem(formatJsonPath(i.path), i.message)),
    };
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.services;
  const mtls = Array.isArray(parsed.data) ? {} : (parsed.data.mtls ?? {});
  const services: MeshService[] = list
    .filter((s) => !s.removed)
    .map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ports: s.ports.map((p) => ({
        port: p.port,
        ...(p.name ? { name: p.name } : {}),
        ...(p.targetPort ? { targetPort: p.targetPort } : {}),
        ...(p.protocol ? { protocol: p.protocol } : {}),
      })),
      versions: s.versions.map((v) => ({
        name: v.name,
        labels: v.labels ?? { app: s.name, version: v.name },
        pods: v.pods,
      })),
      ...(s.selector ? { selector: s.selector } : {}),
    }));
  return { ok: true, value: { services, mtls } };
}
