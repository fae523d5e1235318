import { issuesFromZod } from '@heliomesh/policy';
import { formatJsonPath, HeliomeshError } from '@heliomesh/util';
import type { z } from 'zod';

/** Parses a request body with a strict schema; a bad one is a 422 naming the first field and listing all. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error);
  const first = issues[0]!;
  throw new HeliomeshError({
    code: 'INPUT_INVALID',
    status: 422,
    message: `${formatJsonPath(first.path)}: ${first.message}`,
    path: first.path,
    details: issues.map((i) => ({ code: 'INPUT_INVALID', path: formatJsonPath(i.path), message: i.message })),
  });
}
