/**
 * Scales relative weights to integers summing to exactly 100 (largest remainder; ties go to the
 * earlier entry), so the emitted route reads as percentages whatever the user wrote. Negative
 * weights count as 0 (HM1001 reports them); if nothing is positive every entry gets 0 (HM1002).
 */
export function distributeWeights(weights: readonly number[]): number[] {
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const total = clean.reduce((a, b) => a + b, 0);
  if (total === 0) return clean.map(() => 0);
  const exact = clean.map((w) => (w * 100) / total);
  const out = exact.map(Math.floor);
  let missing = 100 - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (missing === 0) break;
    out[index]! += 1;
    missing -= 1;
  }
  return out;
}
