import { type CheckDefinition, CHECK_CATALOGUE, compile, type Finding } from '@heliomesh/istio';
import type { StoredPolicy } from '@heliomesh/policy';
import type { SourceFile } from '../files/manifest-files.util.js';
import { parseSources, type SourceFinding, type SourcedPolicy } from '../files/policy-sources.util.js';
import { inferServices } from './inferred-services.util.js';
import { parseServicesFile, type ServicesSnapshot } from './services-file.schema.js';

/**
 * Checks that test the cluster's services rather than the policies: without `--services` they
 * would only test the stand-in services, so they are skipped and named.
 */
export const SNAPSHOT_CODES: readonly string[] = [
  'HM0002', // target service not found
  'HM0003', // service listed twice
  'HM0011', // port not exposed
  'HM1003', // unknown version
  'HM1005', // version without pods
  'HM1021', // full-link service not found
  'HM2001', // subset labels match no pods
  'HM2002', // subset without labels
  'HM2003', // two versions with the same labels
  'HM2004', // ejection cap vs pod count
  'HM2009', // version labels contradict the selector
  'HM3002', // DENY by identity needs the namespace's mTLS mode
  'HM3003', // ALLOW by identity needs the namespace's mTLS mode
  'HM4002', // per-replica rate limit (replica count)
  'HM4005', // pod selector labels
];

/** Checks that need objects only a live cluster has (foreign Istio objects, running rollouts). */
export const LIVE_CODES: readonly string[] = ['HM0004', 'HM0005', 'HM0006', 'HM5004', 'HM5005'];

export interface ValidationReport {
  files: number;
  policies: number;
  findings: SourceFinding[];
  errors: number;
  warnings: number;
  /** Skipped because no --services file was given. */
  skipped: CheckDefinition[];
  /** Never run offline. */
  notOffline: CheckDefinition[];
}

const definitions = (codes: readonly string[]) => CHECK_CATALOGUE.filter((d) => codes.includes(d.code));

/**
 * The schema and the validation catalogue on policy files, without a server: what the API would
 * answer at write time, as `file:document:path` findings.
 */
export function validateOffline(files: readonly SourceFile[], servicesFile?: SourceFile): ValidationReport {
  const parsed = parseSources(files);
  const findings = [...parsed.findings];
  let services: ServicesSnapshot | undefined;
  if (servicesFile) {
    const result = parseServicesFile(servicesFile.text, servicesFile.name);
    if (result.ok) services = result.value;
    else findings.push(...result.findings);
  }
  if (!servicesFile || services)
    findings.push(...compileFindings(parsed.policies, services, servicesFile?.name));
  findings.sort(byPlace);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    files: files.length,
    policies: parsed.policies.length,
    findings,
    errors,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    skipped: servicesFile ? [] : definitions(SNAPSHOT_CODES),
    notOffline: definitions(LIVE_CODES),
  };
}

function compileFindings(
  sourced: readonly SourcedPolicy[],
  services: ServicesSnapshot | undefined,
  servicesName: string | undefined,
): SourceFinding[] {
  if (!sourced.length) return [];
  const policies: StoredPolicy[] = sourced.map(
    (s, i) => ({ ...s.policy, id: `p${i}`, revision: 1 }) as StoredPolicy,
  );
  const result = compile({
    tenant: { id: 'offline', name: 'offline' },
    services: services?.services ?? inferServices(sourced.map((s) => s.policy)),
    policies,
    mtls: services?.mtls ?? {},
  });
  const skip = new Set(services ? LIVE_CODES : [...SNAPSHOT_CODES, ...LIVE_CODES]);
  const seen = new Set<string>();
  const out: SourceFinding[] = [];
  for (const f of result.findings) {
    if (skip.has(f.code)) continue;
    const mapped = locate(f, sourced, servicesName);
    const key = `${mapped.file}:${mapped.document}:${mapped.path}:${f.code}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mapped);
  }
  return out;
}

/** Where a compiler finding belongs: the policy it names (body path as document path), or the services. */
function locate(
  f: Finding,
  sourced: readonly SourcedPolicy[],
  servicesName: string | undefined,
): SourceFinding {
  const index = f.policyIds?.[0] !== undefined ? Number(f.policyIds[0].slice(1)) : undefined;
  const origin = index !== undefined ? sourced[index] : undefined;
  const base = { code: f.code, severity: f.severity, message: f.message };
  if (!origin)
    return {
      ...base,
      file: servicesName ?? '(services)',
      document: 0,
      path: f.object ? `${f.object} ${f.path}` : `${f.host ?? ''} ${f.path}`.trim(),
    };
  return { ...base, file: origin.file, document: origin.document, path: documentPath(f.path) };
}

/** A path into the body form (`$.target.port`) as the same field of the document form (`$.spec.target.port`). */
export function documentPath(bodyPath: string): string {
  if (bodyPath === '$.name') return '$.metadata.name';
  if (bodyPath === '$.target' || bodyPath.startsWith('$.target.') || bodyPath.startsWith('$.target['))
    return `$.spec${bodyPath.slice(1)}`;
  return bodyPath;
}

function byPlace(a: SourceFinding, b: SourceFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.document !== b.document) return a.document - b.document;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
