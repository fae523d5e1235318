import { errorMessage, type JsonPath } from '@heliomesh/util';
import { parseAllDocuments, stringify } from 'yaml';
import {
  issuesFromZod,
  parsePolicyBody,
  SCHEMA_FINDING_CODE,
  type PolicyIssue,
} from './policy-parse.util.js';
import { POLICY_API_VERSION, policyDocumentSchema, type PolicyBody } from './schemas/policy.schema.js';

/** A problem in one document of a multi-document YAML stream. */
export interface PolicyDocumentFinding extends PolicyIssue {
  /** Zero-based index of the document in the stream. */
  document: number;
}

export interface ParsedPolicyDocuments {
  policies: Array<{ document: number; policy: PolicyBody }>;
  findings: PolicyDocumentFinding[];
}

/** Guards against alias bombs ("billion laughs") in untrusted YAML. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses `---`-separated policy documents (`apiVersion: heliomesh.io/v1alpha1`). Every document
 * yields either a policy or findings with its index and the JSON path inside it; bad input never
 * throws. Empty documents (a trailing `---`) are skipped.
 */
export function parsePolicyDocuments(yamlText: string): ParsedPolicyDocuments {
  const out: ParsedPolicyDocuments = { policies: [], findings: [] };
  let docs;
  try {
    // YAML 1.1, as Kubernetes reads it: a bare `on` is a boolean, so kubectl and Heliomesh agree.
    docs = parseAllDocuments(yamlText, { version: '1.1', uniqueKeys: true });
  } catch (err) {
    out.findings.push(finding(0, [], `not YAML: ${errorMessage(err)}`));
    return out;
  }
  if (!Array.isArray(docs)) docs = [docs];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) out.findings.push(finding(index, [], `invalid YAML: ${err.message}`));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      out.findings.push(finding(index, [], `invalid YAML: ${errorMessage(err)}`));
      return;
    }
    if (value === null || value === undefined) return;
    const result = documentToBody(value);
    if (result.ok) out.policies.push({ document: index, policy: result.value });
    else for (const issue of result.issues) out.findings.push({ ...issue, document: index });
  });
  return out;
}

function finding(document: number, path: JsonPath, message: string): PolicyDocumentFinding {
  return { code: SCHEMA_FINDING_CODE, document, path, message };
}

type BodyResult = { ok: true; value: PolicyBody } | { ok: false; issues: PolicyIssue[] };

/** One parsed document (a plain object) as a policy body, with issues at document paths. */
export function documentToBody(value: unknown): BodyResult {
  const envelope = policyDocumentSchema.safeParse(value);
  if (!envelope.success) return { ok: false, issues: issuesFromZod(envelope.error) };
  const { kind, metadata, spec } = envelope.data;
  const { target, ...rest } = spec;
  const issues: PolicyIssue[] = [];
  let bodyTarget: unknown = target;
  if (target === undefined || target === null || typeof target !== 'object' || Array.isArray(target)) {
    issues.push({
      code: SCHEMA_FINDING_CODE,
      path: ['spec', 'target'],
      message: 'give the target: { service, port?, match? }',
    });
  } else {
    const t = target as Record<string, unknown>;
    const namespace = t['namespace'] ?? metadata.namespace;
    if (namespace === undefined)
      issues.push({
        code: SCHEMA_FINDING_CODE,
        path: ['metadata', 'namespace'],
        message: 'give metadata.namespace (or spec.target.namespace)',
      });
    else if (
      t['namespace'] !== undefined &&
      metadata.namespace !== undefined &&
      t['namespace'] !== metadata.namespace
    )
      issues.push({
        code: SCHEMA_FINDING_CODE,
        path: ['spec', 'target', 'namespace'],
        message: `a policy lives in its target's namespace: spec.target.namespace "${String(t['namespace'])}" differs from metadata.namespace "${metadata.namespace}"`,
      });
    bodyTarget = { ...t, namespace };
  }
  if (issues.length > 0) return { ok: false, issues };
  const parsed = parsePolicyBody({ name: metadata.name, kind, target: bodyTarget, spec: rest });
  if (parsed.ok) return parsed;
  return { ok: false, issues: parsed.issues.map((i) => ({ ...i, path: bodyPathToDocumentPath(i.path) })) };
}

/** Where a field of the body form lives in the document form. */
function bodyPathToDocumentPath(path: JsonPath): JsonPath {
  const [head, ...tail] = path;
  if (head === 'name') return ['metadata', 'name'];
  if (head === 'target') return ['spec', 'target', ...tail];
  if (head === 'spec') return ['spec', ...tail];
  return path;
}

/** A policy body as its document form (the inverse of `documentToBody`). */
export function bodyToDocument(policy: PolicyBody): Record<string, unknown> {
  const { namespace, ...target } = policy.target;
  return {
    apiVersion: POLICY_API_VERSION,
    kind: policy.kind,
    metadata: { name: policy.name, namespace },
    spec: { target, ...policy.spec },
  };
}

/** Policies as one multi-document YAML stream, in the order given. */
export function formatPolicyDocuments(policies: readonly PolicyBody[]): string {
  // YAML 1.1 quoting, so kubectl and other YAML 1.1 readers see `"on"` as a string too.
  return policies
    .map((p) => stringify(bodyToDocument(p), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
