import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so the same value
 * always serialises to the same bytes (hash chains, content hashes, deterministic output).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      // Defined, not assigned: a "__proto__" key is data, not the prototype.
      if (member !== undefined)
        Object.defineProperty(out, key, {
          value: sortKeys(member),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return value;
}

/** One-shot `crypto.hash` (Node 20.12+): a third of `createHash` for short inputs such as tokens. */
export function sha256Hex(input: string | Buffer): string {
  return hash('sha256', input, 'hex');
}

/** A short, stable content hash of any JSON value. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
