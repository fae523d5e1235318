import { z } from 'zod';

/**
 * Building blocks for service configuration. Each field knows how to describe the form it
 * expects, so a bad value is reported as one line naming the variable and that form.
 */

const expectedForm = new WeakMap<z.ZodType, string>();

function described<T extends z.ZodType>(schema: T, form: string): T {
  expectedForm.set(schema, form);
  return schema;
}

export function formOf(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const form = expectedForm.get(current);
    if (form) return form;
    const inner: unknown = (current as { def?: { innerType?: unknown } }).def?.innerType;
    current = inner instanceof z.ZodType ? inner : undefined;
  }
  return undefined;
}

function urlWithProtocols(protocols: string[]) {
  return z.string().refine((value) => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && url.hostname.length > 0;
    } catch {
      return false;
    }
  });
}

export const env = {
  port: (fallback: number) =>
    described(
      z
        .string()
        .regex(/^\d{1,5}$/)
        .transform(Number)
        .refine((n) => n >= 1 && n <= 65535)
        .prefault(String(fallback)),
      'a TCP port number between 1 and 65535',
    ),
  host: (fallback: string) =>
    described(z.string().min(1).prefault(fallback), 'a host name or IP address to listen on'),
  postgresUrl: (fallback: string) =>
    described(
      urlWithProtocols(['postgres:', 'postgresql:']).prefault(fallback),
      `a postgres:// URL such as ${fallback}`,
    ),
  redisUrl: (fallback: string) =>
    described(
      urlWithProtocols(['redis:', 'rediss:']).prefault(fallback),
      `a redis:// URL such as ${fallback}`,
    ),
  httpUrl: (fallback: string) =>
    described(
      urlWithProtocols(['http:', 'https:']).prefault(fallback),
      `an http:// or https:// URL such as ${fallback}`,
    ),
  positiveInt: (fallback: number) =>
    described(
      z
        .string()
        .regex(/^\d+$/)
        .transform(Number)
        .refine((n) => n > 0 && Number.isSafeInteger(n))
        .prefault(String(fallback)),
      'a positive whole number',
    ),
  wholeNumberUpTo: (max: number, fallback: number) =>
    described(
      z
        .string()
        .regex(/^\d+$/)
        .transform(Number)
        .refine((n) => n <= max)
        .prefault(String(fallback)),
      `a whole number from 0 to ${max}`,
    ),
  logLevel: (fallback: 'info') =>
    described(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(fallback),
      'one of fatal, error, warn, info, debug, trace, silent',
    ),
  enumOf: <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
    described(z.enum(values).prefault(fallback), `one of ${values.join(', ')}`),
  /** A short lowercase identifier, used for key prefixes. */
  slug: (fallback: string) =>
    described(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,40}$/)
        .prefault(fallback),
      'lowercase letters, digits and dashes (at most 41)',
    ),
  /** A random key of `bytes` bytes, base64-encoded. */
  base64Key: (bytes: number, fallback: string) =>
    described(
      z
        .string()
        .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === bytes)
        .prefault(fallback),
      `${bytes} random bytes, base64-encoded (openssl rand -base64 ${bytes})`,
    ),
  optionalString: (form: string) => described(z.string().min(1).optional(), form),
  bool: (fallback: boolean) =>
    described(
      z
        .enum(['true', 'false', '1', '0'])
        .transform((v) => v === 'true' || v === '1')
        .prefault(fallback ? 'true' : 'false'),
      'true or false',
    ),
};
