/** FNV-1a over a string, for ring-hash keys and host positions. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche so nearby strings spread over the ring.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * A ring hash over candidate hosts (istio-semantics §2.2, `ringHash{minimumRingSize=1024}`):
 * each host gets ceil(size / hosts) points; a key maps to the first point at or after its hash.
 */
export class HashRing {
  private readonly points: Uint32Array;
  private readonly owners: Int32Array;

  constructor(hostKeys: readonly string[], hostIndexes: readonly number[], minimumSize: number) {
    const perHost = Math.max(1, Math.ceil(minimumSize / Math.max(1, hostKeys.length)));
    const entries: Array<[number, number]> = [];
    hostKeys.forEach((key, i) => {
      for (let j = 0; j < perHost; j++) entries.push([fnv1a(`${key}_${j}`), hostIndexes[i]!]);
    });
    entries.sort((a, b) => a[0] - b[0]);
    this.points = Uint32Array.from(entries.map((e) => e[0]));
    this.owners = Int32Array.from(entries.map((e) => e[1]));
  }

  lookup(hash: number): number {
    const points = this.points;
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === points.length ? 0 : lo]!;
  }
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
