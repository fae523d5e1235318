import { formatJsonPath, HeliomeshError, type JsonPath } from '@heliomesh/util';
import type { z } from 'zod';
import {
  policyBodySchema,
  storedPolicySchema,
  type PolicyBody,
  type StoredPolicy,
} from './schemas/policy.schema.js';

/** Code of every schema-level problem, shared with the compiler's catalogue (HM0001). */
export const SCHEMA_FINDING_CODE = 'HM0001';

/** One reason an input is not a valid policy, with the JSON path of the offending field. */
export interface PolicyIssue {
  code: typeof SCHEMA_FINDING_CODE;
  path: JsonPath;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: PolicyIssue[] };

/**
 * Zod issues as policy issues. An unknown field is reported at its own path (not its parent's), so
 * a client sees exactly which key to remove.
 */
export function issuesFromZod(error: z.ZodError, prefix: JsonPath = []): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({
          code: SCHEMA_FINDING_CODE,
          path: [...path, key],
          message: `unknown field "${key}": remove it or check its spelling`,
        });
    } else {
      out.push({ code: SCHEMA_FINDING_CODE, path, message: issue.message });
    }
  }
  return out;
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix: JsonPath): ParseResult<T> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: issuesFromZod(result.error, prefix) };
}

/** Validates a REST/GraphQL body `{ name, kind, target, spec }`. Never throws on bad input. */
export function parsePolicyBody(input: unknown, prefix: JsonPath = []): ParseResult<PolicyBody> {
  return parseWith(policyBodySchema, input, prefix);
}

/** Validates a stored policy `{ id, revision, name, kind, target, spec }`. Never throws on bad input. */
export function parseStoredPolicy(input: unknown, prefix: JsonPath = []): ParseResult<StoredPolicy> {
  return parseWith(storedPolicySchema, input, prefix);
}

/** The 422 a front door answers with for a body that is not a valid policy. */
export function policyValidationError(issues: readonly PolicyIssue[]): HeliomeshError {
  const first = issues[0];
  const where = first ? formatJsonPath(first.path) : '$';
  return new HeliomeshError({
    code: 'POLICY_INVALID',
    status: 422,
    message: first
      ? `The policy is not valid: ${where}: ${first.message}. Fix the field and send it again.`
      : 'The policy is not valid.',
    path: first?.path ?? [],
    details: issues.map((i) => ({ code: i.code, path: formatJsonPath(i.path), message: i.message })),
  });
}

/** Parses a body or throws the client error, for callers that want an exception. */
export function assertPolicyBody(input: unknown): PolicyBody {
  const result = parsePolicyBody(input);
  if (!result.ok) throw policyValidationError(result.issues);
  return result.value;
}
