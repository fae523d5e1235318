import type { ServerResponse } from 'node:http';
import type { JsonValue } from '../api/object.types.js';

/** The value of a `Warning` header as the API server writes it (RFC 7234 code 299). */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: JsonValue,
  opts: { contentType?: string; warnings?: string[]; headers?: Record<string, string> } = {},
): void {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': opts.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(payload)),
    ...opts.headers,
  };
  if (opts.warnings && opts.warnings.length > 0) headers['Warning'] = opts.warnings.map(warningHeader);
  res.writeHead(status, headers);
  res.end(payload);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
