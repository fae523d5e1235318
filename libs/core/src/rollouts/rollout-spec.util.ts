import { issuesFromZod } from '@heliomesh/policy';
import { formatJsonPath, HeliomeshError } from '@heliomesh/util';
import { z } from 'zod';
import { type RolloutSpec, rolloutSpecSchema } from './rollout-spec.schema.js';

/**
 * Validates a rollout body. A bad one is a 422 `ROLLOUT_SPEC_INVALID` naming the first offending
 * field's JSON path, with every problem in `details`. Never throws anything else on any input.
 */
export function parseRolloutSpec(input: unknown): RolloutSpec {
  const result = rolloutSpecSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error);
  const first = issues[0]!;
  throw new HeliomeshError({
    code: 'ROLLOUT_SPEC_INVALID',
    status: 422,
    message: `Invalid rollout at ${formatJsonPath(first.path)}: ${first.message}`,
    path: first.path,
    details: issues.map((i) => ({
      code: 'ROLLOUT_SPEC_INVALID',
      path: formatJsonPath(i.path),
      message: i.message,
    })),
  });
}

/** The rollout body's JSON Schema (what users may write, defaults shown), for docs and editors. */
export function rolloutSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(rolloutSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
