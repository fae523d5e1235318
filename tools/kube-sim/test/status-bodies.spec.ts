import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { readWatch, startSandbox, type RawApi } from './sandbox.helpers.js';

let sim: KubeSim;
let api: RawApi;

function golden(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, '__golden__', `${name}.json`), 'utf8'));
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    },
  },
};

const base = '/apis/apps/v1/namespaces/status-golden/deployments';

beforeAll(async () => {
  ({ sim, api } = await startSandbox({ controllers: false }));
  await api.post('/api/v1/namespaces', { metadata: { name: 'status-golden' } });
  await api.post(base, deployment);
});

afterAll(async () => {
  await sim.stop();
});

describe('Status bodies match kube-apiserver 1.32 (golden files in test/__golden__)', () => {
  it('NotFound names the resource and group', async () => {
    const r = await api.get(`${base}/missing`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual(golden('not-found'));
  });

  it('NotFound for an unknown path has empty details', async () => {
    const r = await api.get('/apis/apps/v1/namespaces/status-golden/widgets');
    expect(r.status).toBe(404);
    expect(r.body).toEqual(golden('not-found-path'));
  });

  it('AlreadyExists', async () => {
    const r = await api.post(base, deployment);
    expect(r.status).toBe(409);
    expect(r.body).toEqual(golden('already-exists'));
  });

  it('Conflict on a stale resourceVersion', async () => {
    const live = (await api.get(`${base}/web`)).body as { metadata: Record<string, unknown> };
    const r = await api.put(`${base}/web`, {
      ...deployment,
      metadata: { ...live.metadata, resourceVersion: '1' },
    });
    expect(r.status).toBe(409);
    expect(r.body).toEqual(golden('conflict'));
  });

  it('Invalid lists every cause', async () => {
    const r = await api.post(base, {
      ...deployment,
      metadata: { name: 'bad' },
      spec: {
        ...deployment.spec,
        replicas: -1,
        template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'web' }] } },
      },
    });
    expect(r.status).toBe(422);
    expect(r.body).toEqual(golden('invalid'));
  });

  it('BadRequest for an unsupported field selector', async () => {
    const r = await api.get('/api/v1/namespaces/status-golden/pods?fieldSelector=spec.foo%3Dx');
    expect(r.status).toBe(400);
    expect(r.body).toEqual(golden('bad-request-field-selector'));
  });

  it('UnsupportedMediaType for a strategic merge patch on a custom resource', async () => {
    await api.post('/apis/networking.istio.io/v1/namespaces/status-golden/virtualservices', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'vs' },
      spec: { hosts: ['a'] },
    });
    const r = await api.patch(
      '/apis/networking.istio.io/v1/namespaces/status-golden/virtualservices/vs',
      'application/strategic-merge-patch+json',
      { spec: {} },
    );
    expect(r.status).toBe(415);
    expect(r.body).toEqual(golden('unsupported-media-type'));
  });

  it('Gone: a watch from a compacted resourceVersion gets one ERROR event, then the stream ends', async () => {
    const rv = sim.resourceVersion();
    await api.post('/api/v1/namespaces/status-golden/configmaps', { metadata: { name: 'after' } });
    sim.compactHistory();
    const events = await readWatch(`${sim.url}${base}?watch=true&resourceVersion=${rv - 1}`, 5);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('ERROR');
    expect(events[0]!.object).toEqual({
      ...(golden('gone') as object),
      message: `too old resource version: ${rv - 1} (${sim.resourceVersion() + 1})`,
    });
  });

  it('Expired for a continue token older than the history', async () => {
    await api.post(base, { ...deployment, metadata: { name: 'web2' } });
    const page = (await api.get(`${base}?limit=1`)).body as { metadata: { continue: string } };
    await api.post('/api/v1/namespaces/status-golden/configmaps', { metadata: { name: 'bump' } });
    sim.compactHistory();
    const r = await api.get(`${base}?limit=1&continue=${encodeURIComponent(page.metadata.continue)}`);
    expect(r.status).toBe(410);
    expect(r.body).toEqual(golden('expired-continue'));
  });

  it('Apply conflicts list fields and managers; apply without fieldManager is invalid', async () => {
    const path = '/apis/networking.istio.io/v1/namespaces/status-golden/virtualservices/applied';
    const vs = (hosts: string[]) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'applied' },
      spec: { hosts, gateways: hosts },
    });
    expect(
      (await api.patch(`${path}?fieldManager=first`, 'application/apply-patch+yaml', vs(['a']))).status,
    ).toBe(201);
    const r = await api.patch(`${path}?fieldManager=second`, 'application/apply-patch+yaml', vs(['b']));
    expect(r.status).toBe(409);
    expect(r.body).toEqual(golden('apply-conflict'));
    const noManager = await api.patch(path, 'application/apply-patch+yaml', vs(['a']));
    expect(noManager.status).toBe(422);
    expect(noManager.body).toEqual(golden('apply-field-manager-required'));
  });

  it('DELETE answers a Success Status for most kinds', async () => {
    const live = (await api.get(`${base}/web2`)).body as { metadata: { uid: string } };
    const r = await api.delete(`${base}/web2`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      ...(golden('delete-success') as object),
      details: { name: 'web2', group: 'apps', kind: 'deployments', uid: live.metadata.uid },
    });
  });
});
