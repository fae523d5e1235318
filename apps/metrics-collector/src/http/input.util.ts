import { formatJsonPath, HeliomeshError, type JsonPath } from '@heliomesh/util';
import type { z } from 'zod';

export interface InputIssue {
  path: JsonPath;
  message: string;
}

/** Zod issues with an unknown key reported at its own path, so the client sees which key to drop. */
export function issuesOf(error: z.ZodError, prefix: JsonPath): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: [...path, key],
          message: `unknown field "${key}": remove it or check its spelling`,
        });
      }
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/**
 * Parses client input or throws a 400 `HeliomeshError` naming the first bad field (all of them in
 * `details`). `code` is `QUERY_INVALID` for query strings and `BODY_INVALID` for JSON bodies.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: { code: 'QUERY_INVALID' | 'BODY_INVALID'; prefix: JsonPath; hint: string },
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error, where.prefix);
  const first = issues[0] ?? { path: where.prefix, message: 'invalid input' };
  return throwInvalid(where.code, first, issues, where.hint);
}

function throwInvalid(code: string, first: InputIssue, issues: InputIssue[], hint: string): never {
  throw new HeliomeshError({
    code,
    status: 400,
    message: `${formatJsonPath(first.path)}: ${first.message}. ${hint}`,
    path: first.path,
    details: issues.map((i) => ({ code, path: formatJsonPath(i.path), message: i.message })),
  });
}
