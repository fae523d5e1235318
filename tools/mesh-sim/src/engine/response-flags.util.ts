/**
 * Envoy response flags (istio-semantics §5.3) as bits. The bit order is Envoy's own flag order,
 * which is also the order `%RESPONSE_FLAGS%` prints them in (`DI,FI`, `UF,URX`, `UT,URX`).
 */
export const Flag = {
  UH: 1 << 0,
  UT: 1 << 1,
  UR: 1 << 2,
  UF: 1 << 3,
  UC: 1 << 4,
  UO: 1 << 5,
  NR: 1 << 6,
  DI: 1 << 7,
  FI: 1 << 8,
  RL: 1 << 9,
  UAEX: 1 << 10,
  RLSE: 1 << 11,
  DC: 1 << 12,
  URX: 1 << 13,
  NC: 1 << 14,
} as const;
export type FlagName = keyof typeof Flag;

const ORDER = Object.keys(Flag) as FlagName[];
const cache = new Map<number, string>();

/** `-` for no flags, else the comma-joined names. */
export function formatFlags(mask: number): string {
  let text = cache.get(mask);
  if (text === undefined) {
    const names = ORDER.filter((name) => (mask & Flag[name]) !== 0);
    text = names.length === 0 ? '-' : names.join(',');
    cache.set(mask, text);
  }
  return text;
}

export function parseFlags(text: string): number {
  if (text === '-' || text === '') return 0;
  let mask = 0;
  for (const name of text.split(',')) {
    const bit = (Flag as Record<string, number>)[name];
    if (bit === undefined) throw new Error(`unknown response flag ${name}`);
    mask |= bit;
  }
  return mask;
}
