import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { readWatch, startSandbox, uniqueName, type RawApi } from './sandbox.helpers.js';

let sim: KubeSim;
let api: RawApi;
let ns: string;

beforeAll(async () => {
  ({ sim, api } = await startSandbox({ controllers: false, bookmarkIntervalMs: 100 }));
  ns = uniqueName('watch');
  await api.post('/api/v1/namespaces', { metadata: { name: ns } });
});

afterAll(async () => {
  await sim.stop();
});

const cm = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } });

function names(events: Array<{ type: string; object: Record<string, unknown> }>): string[] {
  return events.map(
    (e) =>
      `${e.type}:${String((e.object['metadata'] as { name?: string }).name ?? (e.object['metadata'] as { resourceVersion: string }).resourceVersion)}`,
  );
}

describe('watch', () => {
  it('starts with ADDED events for resourceVersion 0 and replays every change after a given resourceVersion', async () => {
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    await api.post(base, cm('w1'));
    const rv = sim.resourceVersion();
    await api.patch(`${base}/w1`, 'application/merge-patch+json', { data: { a: '1' } });
    await api.post(base, cm('w2'));
    await api.delete(`${base}/w2`);
    expect(names(await readWatch(`${sim.url}${base}?watch=true&resourceVersion=0`, 1))).toEqual(['ADDED:w1']);
    const replay = await readWatch(`${sim.url}${base}?watch=true&resourceVersion=${rv}`, 3);
    expect(names(replay)).toEqual(['MODIFIED:w1', 'ADDED:w2', 'DELETED:w2']);
    const rvs = replay.map((e) =>
      Number((e.object['metadata'] as { resourceVersion: string }).resourceVersion),
    );
    expect(rvs).toEqual([rv + 1, rv + 2, rv + 3]);
  });

  it('turns objects entering and leaving a label selector into ADDED and DELETED', async () => {
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    await api.post(base, cm('sel', { tier: 'back' }));
    const rv = sim.resourceVersion();
    await api.patch(`${base}/sel`, 'application/merge-patch+json', {
      metadata: { labels: { tier: 'front' } },
    });
    await api.patch(`${base}/sel`, 'application/merge-patch+json', { data: { x: 'y' } });
    await api.patch(`${base}/sel`, 'application/merge-patch+json', {
      metadata: { labels: { tier: 'back' } },
    });
    const events = await readWatch(
      `${sim.url}${base}?watch=true&resourceVersion=${rv}&labelSelector=tier%3Dfront`,
      3,
    );
    expect(names(events)).toEqual(['ADDED:sel', 'MODIFIED:sel', 'DELETED:sel']);
    // The DELETED carries the last matching state at the new resourceVersion.
    expect((events[2]!.object['metadata'] as { labels: unknown }).labels).toEqual({ tier: 'front' });
    expect((events[2]!.object['metadata'] as { resourceVersion: string }).resourceVersion).toBe(
      String(rv + 3),
    );
  });

  it('sends bookmarks only when allowed, and ends the stream after timeoutSeconds', async () => {
    const base = `/api/v1/namespaces/${ns}/services`;
    const withBookmarks = await readWatch(
      `${sim.url}${base}?watch=true&allowWatchBookmarks=true&resourceVersion=${sim.resourceVersion()}`,
      1,
      2000,
    );
    expect(withBookmarks).toEqual([
      {
        type: 'BOOKMARK',
        object: {
          kind: 'Service',
          apiVersion: 'v1',
          metadata: { resourceVersion: String(sim.resourceVersion()) },
        },
      },
    ]);
    const started = Date.now();
    const none = await readWatch(
      `${sim.url}${base}?watch=true&timeoutSeconds=1&resourceVersion=${sim.resourceVersion()}`,
      1,
      5000,
    );
    expect(none).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('marks the end of initial events when sendInitialEvents is asked for', async () => {
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    const events = await readWatch(
      `${sim.url}${base}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      4,
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect((bookmark?.object['metadata'] as { annotations: Record<string, string> }).annotations).toEqual({
      'k8s.io/initial-events-end': 'true',
    });
    expect(events.slice(0, events.indexOf(bookmark!)).every((e) => e.type === 'ADDED')).toBe(true);
  });

  it('streams one-row Tables when asked for Table output, columns only in the first event', async () => {
    const base = `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`;
    await api.post(base, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'tv' },
      spec: { hosts: ['a'], gateways: ['gw'] },
    });
    const rv = sim.resourceVersion() - 1;
    await api.patch(`${base}/tv`, 'application/merge-patch+json', { spec: { hosts: ['a', 'b'] } });
    const events = await readWatch(`${sim.url}${base}?watch=true&resourceVersion=${rv}`, 2, 3000, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    const [first, second] = events.map(
      (e) =>
        e.object as {
          kind: string;
          columnDefinitions: Array<{ name: string }>;
          rows: Array<{ cells: unknown[] }>;
        },
    );
    expect(first!.kind).toBe('Table');
    expect(first!.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Gateways', 'Hosts', 'Age']);
    expect(first!.rows[0]!.cells.slice(0, 3)).toEqual(['tv', '["gw"]', '["a"]']);
    expect(second!.columnDefinitions).toEqual([]);
    expect(second!.rows[0]!.cells.slice(0, 3)).toEqual(['tv', '["gw"]', '["a","b"]']);
  });

  it('serves Table lists with the built-in columns and PartialObjectMetadata rows', async () => {
    const r = await api.get('/api/v1/namespaces?limit=500', {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(r.headers.get('content-type')).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = r.body as {
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[]; object: { kind: string } }>;
    };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(table.rows.find((row) => row.cells[0] === 'default')!.cells.slice(0, 2)).toEqual([
      'default',
      'Active',
    ]);
    expect(table.rows[0]!.object.kind).toBe('PartialObjectMetadata');
    const bad = await api.get('/api/v1/namespaces?includeObject=Everything', {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(bad.status).toBe(400);
  });
});
