import { z } from 'zod';
import { formOf } from './env.schema.js';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly received: string | undefined,
  ) {
    const got =
      received === undefined
        ? 'it is missing'
        : `got ${JSON.stringify(received.length > 80 ? `${received.slice(0, 77)}...` : received)}`;
    super(`Invalid configuration: ${variable} must be ${expected} (${got})`);
    this.name = 'ConfigError';
  }
}

/** Parses environment variables with a zod object whose keys are the variable names. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const raw = source[key];
    // An empty variable means "not set", as shells and compose files often pass them.
    input[key] = raw === undefined || raw === '' ? undefined : raw;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0]);
  const field = schema.shape[variable] as z.ZodType | undefined;
  throw new ConfigError(variable, (field && formOf(field)) ?? issue.message, input[variable]);
}

/**
 * For a service's `main`: a bad value prints one line and exits non-zero at once, before any
 * heavy module is imported, so a misconfigured pod fails in milliseconds with the reason.
 */
export function loadConfigOrExit<S extends z.ZodObject>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  try {
    return loadConfig(schema, source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG from sysexits.h
    }
    throw err;
  }
}
