import { HeliomeshError } from '@heliomesh/util';

const bad = (name: string, message: string) =>
  new HeliomeshError({
    code: 'QUERY_INVALID',
    status: 400,
    message: `${name}: ${message}`,
    path: ['query', name],
  });

export function optionalInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value)) throw bad(name, 'must be a whole number');
  return Number(value);
}

export function optionalBool(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw bad(name, 'must be true or false');
}

export function optionalString(value: unknown, name: string, max = 200): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw bad(name, 'must be given once');
  if (value.length > max) throw bad(name, `must be at most ${max} characters`);
  return value;
}

/** `If-Match: 3`, `"3"` or `W/"3"`: the revision the client read. */
export function ifMatchRevision(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!match)
    throw new HeliomeshError({
      code: 'IF_MATCH_INVALID',
      status: 400,
      message: 'If-Match must be the revision number you read, e.g. If-Match: "3".',
      path: ['headers', 'if-match'],
    });
  return Number(match[1]);
}
