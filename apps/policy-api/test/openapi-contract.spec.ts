import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@heliomesh/config';
import type { RunningService } from '@heliomesh/observability';
import { canonicalJson } from '@heliomesh/util';
import { policyApiEnv } from '../src/config.js';
import { startPolicyApi } from '../src/policy-api.bootstrap.js';

const CHECKED_IN = new URL('../openapi.json', import.meta.url);
let service: RunningService;

beforeAll(async () => {
  service = await startPolicyApi({
    ...loadConfig(policyApiEnv, { LOG_LEVEL: 'silent', DB_MIGRATE_ON_START: 'false' }),
    POLICY_API_PORT: 0,
  });
});

afterAll(async () => {
  await service?.close();
});

describe('OpenAPI contract', () => {
  it('serves exactly the checked-in document (regenerate with `npm run openapi`)', async () => {
    const served: unknown = await (await fetch(`${service.url}/openapi.json`)).json();
    const checkedIn: unknown = JSON.parse(readFileSync(CHECKED_IN, 'utf8'));
    expect(
      canonicalJson(served),
      'apps/policy-api/openapi.json is out of date: run `npm run openapi` and commit it',
    ).toBe(canonicalJson(checkedIn));
  });

  it('documents every versioned route with its errors, and the docs page is up', async () => {
    const doc = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const versioned = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/'));
    expect(versioned.length).toBeGreaterThan(15);
    for (const [path, operations] of versioned) {
      for (const [method, op] of Object.entries(operations))
        expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
    }
    const page = await fetch(`${service.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });
});
