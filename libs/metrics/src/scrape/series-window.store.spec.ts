import { describe, expect, it } from 'vitest';
import type { ExpositionSample } from '../exposition/exposition.types.js';
import { SeriesWindowStore } from './series-window.store.js';

const s = (name: string, value: number, labels: Record<string, string> = {}): ExpositionSample => ({
  name,
  labels,
  value,
});

describe('SeriesWindowStore', () => {
  it('keys series by target, name and labels in any order', () => {
    const store = new SeriesWindowStore();
    store.append('a', [s('m', 1, { x: '1', y: '2' })], 1000);
    store.append('a', [s('m', 2, { y: '2', x: '1' })], 2000);
    store.append('b', [s('m', 5, { x: '1', y: '2' })], 2000);
    const series = [...store.seriesNamed('m')];
    expect(series.map((x) => [x.target, x.times.slice(x.head), x.values.slice(x.head)])).toEqual([
      ['a', [1000, 2000], [1, 2]],
      ['b', [2000], [5]],
    ]);
    expect(store.sampleCount).toBe(3);
  });

  it('drops the least recently updated series past the cap', () => {
    const store = new SeriesWindowStore({ maxSeries: 2 });
    store.append('t', [s('a', 1), s('b', 1)], 1000);
    store.append('t', [s('a', 2)], 2000);
    const stats = store.append('t', [s('c', 1)], 3000);
    expect(stats).toEqual({ accepted: 1, created: 1, evicted: 1, outOfOrder: 0 });
    expect([...store.seriesNamed('b')]).toEqual([]);
    expect(store.seriesCount).toBe(2);
    expect(store.sampleCount).toBe(3);
  });

  it('past a large cap drops the oldest 1 % in one go', () => {
    const store = new SeriesWindowStore({ maxSeries: 1000 });
    store.append(
      't',
      Array.from({ length: 1000 }, (_, i) => s(`m${i}`, 1)),
      1000,
    );
    store.append(
      't',
      Array.from({ length: 500 }, (_, i) => s(`m${i}`, 2)),
      2000,
    );
    expect(store.append('t', [s('new', 1)], 3000).evicted).toBe(11);
    expect(store.seriesCount).toBe(990);
    // The series updated at 2000 and the new one survive; among the oldest, the first created go.
    expect([...store.seriesNamed('m0')]).toHaveLength(1);
    expect([...store.seriesNamed('m500')]).toHaveLength(0);
    expect([...store.seriesNamed('m510')]).toHaveLength(0);
    expect([...store.seriesNamed('m511')]).toHaveLength(1);
    expect([...store.seriesNamed('new')]).toHaveLength(1);
  });

  it('does not keep the scrape text alive through label strings', () => {
    const store = new SeriesWindowStore();
    const labels = { a: 'x'.repeat(50) };
    store.append('t', [s('m', 1, labels)], 1000);
    const [series] = [...store.seriesNamed('m')];
    expect(series!.labels).toEqual(labels);
    expect(series!.labels).not.toBe(labels);
  });

  it('keeps at most maxSamplesPerSeries samples, dropping the oldest', () => {
    const store = new SeriesWindowStore({ maxSamplesPerSeries: 3 });
    for (let i = 0; i < 100; i++) store.append('t', [s('m', i)], i * 1000);
    const [series] = [...store.seriesNamed('m')];
    expect(series!.values.slice(series!.head)).toEqual([97, 98, 99]);
    // Compaction keeps the arrays from growing without bound.
    expect(series!.values.length).toBeLessThan(70);
    expect(store.sampleCount).toBe(3);
  });

  it('prunes samples older than the retention and series left empty', () => {
    const store = new SeriesWindowStore({ retentionMs: 10_000 });
    store.append('t', [s('old', 1), s('live', 1)], 0);
    store.append('t', [s('live', 2)], 8_000);
    store.prune(15_000);
    expect([...store.seriesNamed('old')]).toEqual([]);
    const [live] = [...store.seriesNamed('live')];
    expect(live!.times.slice(live!.head)).toEqual([8_000]);
    expect(store.seriesCount).toBe(1);
    expect(store.sampleCount).toBe(1);
  });

  it('skips samples that do not move time forward', () => {
    const store = new SeriesWindowStore();
    store.append('t', [s('m', 1)], 5000);
    expect(store.append('t', [s('m', 2)], 5000).outOfOrder).toBe(1);
    expect(store.append('t', [s('m', 2)], 4000).outOfOrder).toBe(1);
    expect(store.sampleCount).toBe(1);
  });

  it('selects the samples inside a closed time range', () => {
    const store = new SeriesWindowStore();
    for (const t of [0, 10, 20, 30, 40]) store.append('t', [s('m', t)], t);
    const [series] = [...store.seriesNamed('m')];
    expect(SeriesWindowStore.range(series!, 10, 30)).toMatchObject({ first: 1, last: 3 });
    expect(SeriesWindowStore.range(series!, 11, 29)).toMatchObject({ first: 2, last: 2 });
    expect(SeriesWindowStore.range(series!, 41, 50)).toMatchObject({ first: 5, last: 4 });
  });
});
