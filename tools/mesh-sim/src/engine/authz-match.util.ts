/** AuthorizationPolicy value matching (istio-semantics §3). */

export type ValueMatcher = (value: string) => boolean;

/** `abc` exact, `abc*` prefix, `*abc` suffix, `*` any non-empty value. */
export function authzValueMatcher(pattern: string, ignoreCase = false): ValueMatcher {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const norm = ignoreCase ? (v: string) => v.toLowerCase() : (v: string) => v;
  if (p === '*') return (v) => v !== '';
  if (p.endsWith('*')) {
    const prefix = p.slice(0, -1);
    return (v) => norm(v).startsWith(prefix);
  }
  if (p.startsWith('*')) {
    const suffix = p.slice(1);
    return (v) => norm(v).endsWith(suffix);
  }
  return (v) => norm(v) === p;
}

/**
 * `paths` with `{*}` (one segment) and `{**}` (zero or more segments, last) templates; plain
 * values use the exact/prefix/suffix forms.
 */
export function authzPathMatcher(pattern: string): ValueMatcher {
  if (!pattern.includes('{*')) return authzValueMatcher(pattern);
  const source = pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) =>
      part === '{*}' ? '[^/]+' : part === '{**}' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`);
  return (v) => re.test(v);
}

/** IPv4 address or CIDR (`10.0.0.0/8`); other forms match by string equality. */
export function ipMatcher(block: string): ValueMatcher {
  const [addr, bitsText] = block.split('/');
  const base = ipv4ToInt(addr ?? '');
  if (base === undefined) return (v) => v === block;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return () => false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const network = (base & mask) >>> 0;
  return (v) => {
    const ip = ipv4ToInt(v);
    return ip !== undefined && (ip & mask) >>> 0 === network;
  };
}

export function ipv4ToInt(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out = out * 256 + n;
  }
  return out;
}

export function anyOf(matchers: ValueMatcher[], value: string): boolean {
  for (let i = 0; i < matchers.length; i++) if (matchers[i]!(value)) return true;
  return false;
}
