import { parsePolicyDocuments, type PolicyBody } from '@heliomesh/policy';
import { formatJsonPath } from '@heliomesh/util';
import type { SourceFile } from './manifest-files.util.js';

/** A policy and where it was written. */
export interface SourcedPolicy {
  file: string;
  document: number;
  policy: PolicyBody;
}

/** A problem at `file:document:path`. */
export interface SourceFinding {
  file: string;
  document: number;
  /** JSON path inside the document, e.g. `$.spec.weights[0].weight`. */
  path: string;
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface ParsedSources {
  policies: SourcedPolicy[];
  findings: SourceFinding[];
}

/** Code of a policy defined twice in one bundle (the API's code for the same mistake). */
export const DUPLICATE_CODE = 'BUNDLE_DUPLICATE';

/**
 * Every policy document of every file, schema-checked (never throws on bad input), and the
 * duplicates across files: the API would refuse the bundle for either.
 */
export function parseSources(files: readonly SourceFile[]): ParsedSources {
  const out: ParsedSources = { policies: [], findings: [] };
  const seen = new Map<string, SourcedPolicy>();
  for (const file of files) {
    const parsed = parsePolicyDocuments(file.text);
    for (const f of parsed.findings)
      out.findings.push({
        file: file.name,
        document: f.document,
        path: formatJsonPath(f.path),
        code: f.code,
        severity: 'error',
        message: f.message,
      });
    for (const { document, policy } of parsed.policies) {
      const sourced = { file: file.name, document, policy };
      const key = policyKey(policy);
      const first = seen.get(key);
      if (first) {
        out.findings.push({
          file: file.name,
          document,
          path: '$.metadata.name',
          code: DUPLICATE_CODE,
          severity: 'error',
          message: `policy ${policy.target.namespace}/${policy.name} is already defined at ${first.file}:${first.document}; rename one of them`,
        });
        continue;
      }
      seen.set(key, sourced);
      out.policies.push(sourced);
    }
  }
  return out;
}

export function policyKey(policy: PolicyBody): string {
  return `${policy.target.cluster ?? ''}/${policy.target.namespace}/${policy.name}`;
}

/** A finding as one CI-friendly line: `file:document:path CODE severity: message`. */
export function findingLine(f: SourceFinding): string {
  return `${f.file}:${f.document}:${f.path} ${f.code} ${f.severity}: ${f.message}`;
}
