import { notAcceptable } from '../api/status.util.js';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const out: Record<string, string> = {};
      for (const p of params) {
        const eq = p.indexOf('=');
        if (eq > 0) out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: out };
    })
    .filter((m) => m.type !== '');
}

export interface Negotiated {
  /** The Table version to answer with, when the client asked for server-side printing. */
  table?: 'v1' | 'v1beta1';
  /** The aggregated discovery version to answer with, when asked for. */
  aggregated?: 'v2' | 'v2beta1';
}

/**
 * Picks the representation: the first acceptable of Table, aggregated discovery or plain JSON.
 * Protobuf and CBOR are not served; a client that accepts nothing else gets 406.
 */
export function negotiate(header: string | undefined): Negotiated {
  const ranges = parseAccept(header);
  if (ranges.length === 0) return {};
  for (const r of ranges) {
    if (r.type !== 'application/json') continue;
    if (
      r.params['as'] === 'Table' &&
      r.params['g'] === 'meta.k8s.io' &&
      (r.params['v'] === 'v1' || r.params['v'] === 'v1beta1')
    )
      return { table: r.params['v'] };
    if (
      r.params['as'] === 'APIGroupDiscoveryList' &&
      r.params['g'] === 'apidiscovery.k8s.io' &&
      (r.params['v'] === 'v2' || r.params['v'] === 'v2beta1')
    )
      return { aggregated: r.params['v'] };
    if (!r.params['as']) return {};
  }
  if (
    ranges.some(
      (r) =>
        r.type === '*/*' ||
        r.type === 'application/*' ||
        r.type === 'application/yaml' ||
        r.type === 'application/json',
    )
  )
    return {};
  throw notAcceptable();
}
