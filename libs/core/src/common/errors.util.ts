import { HeliomeshError, type JsonPath } from '@heliomesh/util';

export function notFound(kind: string, id: string): HeliomeshError {
  return new HeliomeshError({
    code: 'NOT_FOUND',
    status: 404,
    message: `No ${kind} "${id}" exists in this tenant.`,
  });
}

export function invalid(code: string, message: string, path: JsonPath = []): HeliomeshError {
  return new HeliomeshError({ code, status: 422, message, path });
}

export function conflict(code: string, message: string, path: JsonPath = []): HeliomeshError {
  return new HeliomeshError({ code, status: 409, message, path });
}

export function badRequest(code: string, message: string, path: JsonPath = []): HeliomeshError {
  return new HeliomeshError({ code, status: 400, message, path });
}

/** Postgres unique_violation, so a race on a unique name becomes a 409 rather than a 500. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** Postgres invalid_text_representation (e.g. a malformed uuid in a path). */
export function isInvalidText(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '22P02';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are uuids; anything else cannot name an object, so it is simply not found. */
export function assertId(kind: string, id: string): void {
  if (!UUID.test(id)) throw notFound(kind, id.length > 64 ? `${id.slice(0, 61)}...` : id);
}
