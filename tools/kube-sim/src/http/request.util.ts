import type { IncomingMessage } from 'node:http';
import { badRequest, KubeStatusError } from '../api/status.util.js';
import type { FieldValidation } from '../api/write.types.js';

/** apimachinery's bool query conversion: absent, "0" and "false" (any case) are false, anything else true. */
export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  const lower = v.toLowerCase();
  return lower !== '0' && lower !== 'false';
}

export function intParam(q: URLSearchParams, name: string): number {
  const v = q.get(name);
  if (v === null || v === '') return 0;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

export function fieldValidationParam(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(
    `fieldValidation parameter: Invalid value: "${v}": fieldValidation must be one of "Ignore", "Warn", or "Strict"`,
  );
}

export function dryRunParam(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values)
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

/** The default field manager: the User-Agent up to its first '/' (kubectl, kubernetes-client-javascript). */
export function defaultFieldManager(userAgent: string | undefined): string {
  const ua = userAgent ?? 'unknown';
  const name = ua.split('/')[0]!.trim();
  return name || 'unknown';
}

const maxBody = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        reject(
          new KubeStatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
